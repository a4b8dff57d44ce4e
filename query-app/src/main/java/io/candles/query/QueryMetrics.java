package io.candles.query;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.candles.query.cache.CandleCache;
import io.candles.query.ingest.CandleIngest;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * query-app's counters as Prometheus meters at {@code /q/metrics}: {@code candles_stored_total},
 * {@code candles_repeats_dropped_total}, {@code candles_unreadable_total}, {@code candle_cache_hits_total},
 * {@code candle_cache_misses_total}, {@code candle_cache_candles}, {@code candle_cache_series}; request timings come
 * from Quarkus' HTTP metrics ({@code http_server_requests_seconds}). They read the progress line's counters.
 */
@Singleton
class QueryMetrics implements MeterBinder {

    private final CandleIngest ingest;
    private final CandleCache cache;

    @Inject
    QueryMetrics(CandleIngest ingest, CandleCache cache) {
        this.ingest = ingest;
        this.cache = cache;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("candles.stored", ingest, CandleIngest::stored)
                .description("Candles QuestDB took").register(registry);
        FunctionCounter.builder("candles.repeats.dropped", ingest, CandleIngest::repeats)
                .description("Candles not newer than their series' newest stored one, dropped").register(registry);
        FunctionCounter.builder("candles.unreadable", ingest, CandleIngest::unreadable)
                .description("Records of the candles topic that are not candles, skipped").register(registry);
        FunctionCounter.builder("candle.cache.hits", cache, CandleCache::hits)
                .description("Reads answered from the cache").register(registry);
        FunctionCounter.builder("candle.cache.misses", cache, CandleCache::misses)
                .description("Reads answered from QuestDB").register(registry);
        Gauge.builder("candle.cache.candles", cache, CandleCache::candleCount)
                .description("Candles in the cache").register(registry);
        Gauge.builder("candle.cache.series", cache, CandleCache::seriesCount)
                .description("Series in the cache").register(registry);
    }
}
