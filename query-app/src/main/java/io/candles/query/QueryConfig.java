package io.candles.query;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The query app's settings ({@code query.*}, env {@code QUERY_*}); see application.properties. */
@ConfigMapping(prefix = "query")
public interface QueryConfig {

    Cache cache();

    /** How long a start waits for QuestDB to apply what it already took before reading it back. */
    @WithDefault("60s")
    Duration startupApplyTimeout();

    @WithDefault("5s")
    Duration progressInterval();

    /** A candle more than this ahead of its partition's newest ts is skipped, as consumer-app's candles.max-ahead. */
    @WithDefault("1h")
    Duration maxAhead();

    /** The bounded in-memory cache of the newest candles of each series. */
    interface Cache {

        /** The newest candles kept per series (ticker and period). */
        @WithDefault("500")
        int candlesPerSeries();

        /** Series kept at most; the least recently written one goes first. */
        @WithDefault("1000")
        int maxSeries();
    }
}
