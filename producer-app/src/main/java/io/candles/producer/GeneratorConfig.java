package io.candles.producer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The price generator's settings ({@code generator.*}, env {@code GENERATOR_*}); see application.properties. */
@ConfigMapping(prefix = "generator")
public interface GeneratorConfig {

    @WithDefault("AAPL,SBER,NVDA,TSLA")
    List<String> tickers();

    @WithDefault("500ms")
    Duration delay();

    @WithDefault("10")
    int factor();

    /** Fixed start of simulated time; otherwise resume after the newest price in the topic. */
    Optional<Instant> start();

    @WithDefault("4096")
    int maxInFlight();

    @WithDefault("30s")
    Duration shutdownTimeout();

    @WithDefault("5s")
    Duration progressInterval();

    Load load();

    /** Load mode for benchmarks: many tickers, a target rate, an optional total. */
    interface Load {

        @WithDefault("false")
        boolean enabled();

        @WithDefault("1000")
        int tickers();

        /** Prices per second in total; 0 = as fast as Kafka takes them. */
        @WithDefault("0")
        long rate();

        /** Stop after this many prices; 0 = never. */
        @WithDefault("0")
        long count();
    }
}
