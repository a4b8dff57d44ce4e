package io.candles.query.store;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Series;

/**
 * The newest stored ts of every series: the known tickers, and the high-water marks that keep the first candle of
 * every (ticker, period, ts). The stages may publish a window again after a restart, possibly built from part of its
 * inputs, but always after the first, complete candle of that window in the same partition (docs/architecture.md,
 * "Delivery guarantees"); within a partition a series arrives in time order, so a candle not newer than its series' mark is such
 * a repeat, or a redelivery of one already stored. QuestDB's upsert would let the repeat overwrite the first.
 * Filled from QuestDB at start-up; thread-safe.
 */
public final class StoredSeries {

    private final Map<Series, Instant> newest = new ConcurrentHashMap<>();

    public void loaded(Map<Series, Instant> stored) {
        newest.putAll(stored);
    }

    /** Whether this candle is newer than everything stored of its series. */
    public boolean isNew(Candle candle) {
        Instant mark = newest.get(Series.of(candle));
        return mark == null || candle.ts().isAfter(mark);
    }

    public Optional<Instant> newest(Series series) {
        return Optional.ofNullable(newest.get(series));
    }

    public void stored(Candle candle) {
        newest.merge(Series.of(candle), candle.ts(), (a, b) -> a.isAfter(b) ? a : b);
    }

    public boolean knows(String ticker) {
        for (CandlePeriod period : CandlePeriod.values()) {
            if (newest.containsKey(new Series(ticker, period))) {
                return true;
            }
        }
        return false;
    }

    /** Every known ticker with the newest stored ts per period, by ticker. */
    public SortedMap<String, Map<CandlePeriod, Instant>> byTicker() {
        SortedMap<String, Map<CandlePeriod, Instant>> tickers = new TreeMap<>();
        newest.forEach((series, ts) -> tickers.computeIfAbsent(series.ticker(), t -> new EnumMap<>(CandlePeriod.class))
                .put(series.period(), ts));
        return tickers;
    }

    public int size() {
        return newest.size();
    }
}
