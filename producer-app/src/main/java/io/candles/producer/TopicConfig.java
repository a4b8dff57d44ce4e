package io.candles.producer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Topics the producer creates at start-up if missing ({@code topics.*}, env {@code TOPICS_*}). */
@ConfigMapping(prefix = "topics")
public interface TopicConfig {

    @WithDefault("3")
    int partitions();

    @WithDefault("1")
    short replicationFactor();
}
