package io.candles.query.cache;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import io.candles.domain.Candle;
import io.candles.domain.Series;

/**
 * The newest {@code candlesPerSeries} stored candles of at most {@code maxSeries} series, in memory. When a new series
 * would exceed the bound, the least recently written one goes. Every stored candle of a cached series that is newer
 * than its oldest cached one is in the cache (candles of a series are stored in time order), so a read is answered
 * here whenever its range starts at or after that oldest candle; otherwise the caller asks QuestDB. Thread-safe.
 */
public final class CandleCache {

    private final int candlesPerSeries;
    private final int maxSeries;
    /** In write order, the least recently written first; guarded by this. */
    private final LinkedHashMap<Series, SeriesBuffer> series;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private long candles;

    public CandleCache(int candlesPerSeries, int maxSeries) {
        if (candlesPerSeries < 1) {
            throw new IllegalArgumentException("query.cache.candles-per-series must be >= 1, was " + candlesPerSeries);
        }
        if (maxSeries < 1) {
            throw new IllegalArgumentException("query.cache.max-series must be >= 1, was " + maxSeries);
        }
        this.candlesPerSeries = candlesPerSeries;
        this.maxSeries = maxSeries;
        this.series = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Series, SeriesBuffer> eldest) {
                if (size() > CandleCache.this.maxSeries) {
                    candles -= eldest.getValue().size();
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * Start-up: one of the newest stored candles of a series, each series oldest first. The series is taken as
     * complete (all it has) until {@link #loaded} says otherwise.
     */
    public synchronized void load(Candle candle) {
        Series key = Series.of(candle);
        SeriesBuffer buffer = series.get(key);
        if (buffer == null) {
            buffer = new SeriesBuffer(key, candlesPerSeries, true);
            series.put(key, buffer);
        }
        buffer.append(candle);
        candles++;
    }

    /** Start-up is over: a series loaded with as many candles as it may hold may have older ones in QuestDB. */
    public synchronized void loaded() {
        series.values().forEach(buffer -> {
            if (buffer.size() >= candlesPerSeries) {
                buffer.incomplete();
            }
        });
    }

    /**
     * A candle just stored, newer than every stored candle of its series.
     *
     * @param newSeries true when nothing of its series was stored before, so the cache holds all of it
     */
    public synchronized void stored(Candle candle, boolean newSeries) {
        Series key = Series.of(candle);
        SeriesBuffer buffer = series.remove(key); // put back below: now the most recently written
        if (buffer == null) {
            if (!newSeries) {
                // Evicted (or never loaded): its older candles are only in QuestDB, so start an incomplete buffer.
                buffer = new SeriesBuffer(key, candlesPerSeries, false);
            } else {
                buffer = new SeriesBuffer(key, candlesPerSeries, true);
            }
        }
        int before = buffer.size();
        buffer.append(candle);
        candles += buffer.size() - before;
        series.put(key, buffer);
    }

    /** Candles with {@code from <= ts < to}, oldest first, at most {@code limit}; empty when not cached. */
    public Optional<List<Candle>> oldestFrom(Series key, Instant from, Instant to, int limit) {
        synchronized (this) {
            SeriesBuffer buffer = series.get(key);
            if (buffer != null && (buffer.complete() || buffer.size() > 0 && buffer.tsAt(0) <= from.toEpochMilli())) {
                int start = buffer.firstAtOrAfter(from.toEpochMilli());
                int end = Math.min(buffer.firstAtOrAfter(to.toEpochMilli()), start + limit);
                hits.increment();
                return Optional.of(buffer.between(start, Math.max(start, end)));
            }
        }
        misses.increment();
        return Optional.empty();
    }

    /** The newest {@code limit} candles with {@code ts < to}, oldest first; empty when not cached. */
    public Optional<List<Candle>> newestBefore(Series key, Instant to, int limit) {
        synchronized (this) {
            SeriesBuffer buffer = series.get(key);
            if (buffer != null) {
                int end = buffer.firstAtOrAfter(to.toEpochMilli());
                if (end >= limit || buffer.complete()) {
                    hits.increment();
                    return Optional.of(buffer.between(Math.max(0, end - limit), end));
                }
            }
        }
        misses.increment();
        return Optional.empty();
    }

    /** The newest cached candle of the series, if the series is cached and has one. */
    public synchronized Optional<Candle> newest(Series key) {
        SeriesBuffer buffer = series.get(key);
        return buffer == null || buffer.size() == 0 ? Optional.empty() : Optional.of(buffer.at(buffer.size() - 1));
    }

    public synchronized int seriesCount() {
        return series.size();
    }

    public synchronized long candleCount() {
        return candles;
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }
}
