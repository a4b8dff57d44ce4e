package io.candles.consumer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The consumer's settings ({@code candles.*}, env {@code CANDLES_*}); see application.properties. */
@ConfigMapping(prefix = "candles")
public interface CandlesConfig {

    Path outputDir();

    @WithDefault("10")
    int batchSize();

    /** Write a partial batch once its oldest candle has waited this long; empty = never (the default). */
    Optional<Duration> linger();

    @WithDefault("10s")
    Duration grace();

    /** A record whose ts is further ahead of its partition's newest ts is dead-lettered ("ts too far ahead"). */
    @WithDefault("1h")
    Duration maxAhead();

    String instanceId();

    /** How often the stages commit how far they got. */
    @WithDefault("1s")
    Duration commitInterval();

    @WithDefault("5s")
    Duration progressInterval();

    @WithDefault("20s")
    Duration shutdownTimeout();
}
