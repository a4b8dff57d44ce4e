package io.candles.consumer.sink;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;

/**
 * Per series (ticker and period), the newest candle start written to the files and the newest one taken (written,
 * or buffered for a batch). Within a partition each series' candles arrive in time order, and the first candle of a
 * window is the right one (a stage that re-reads its input after a restart may publish a partial repeat later), so a
 * candle that is not newer than its series' newest taken one is a repeat: the sink drops it.
 *
 * <p>The written marks come from the files at start-up, from {@code candles-sink-marks} when a partition is assigned,
 * and from each batch forced to disk. Not thread-safe: the {@link CandleBatchWriter} guards it.
 */
final class WrittenMarks {

    private final Map<CandlePeriod, Map<String, Instant>> written = new EnumMap<>(CandlePeriod.class);
    private final Map<CandlePeriod, Map<String, Instant>> taken = new EnumMap<>(CandlePeriod.class);

    WrittenMarks() {
        for (CandlePeriod period : CandlePeriod.values()) {
            written.put(period, new HashMap<>());
            taken.put(period, new HashMap<>());
        }
    }

    /** Not newer than its series' newest candle written or buffered: a redelivery, or a partial repeat. */
    boolean isRepeat(Candle candle) {
        Instant newest = taken.get(candle.period()).get(candle.ticker());
        return newest != null && !candle.ts().isAfter(newest);
    }

    /** The candle is buffered for a batch. */
    void take(Candle candle) {
        taken.get(candle.period()).merge(candle.ticker(), candle.ts(), WrittenMarks::later);
    }

    /** The candle is on disk. */
    void written(Candle candle) {
        written.get(candle.period()).merge(candle.ticker(), candle.ts(), WrittenMarks::later);
        take(candle);
    }

    /** Candles up to these are in some instance's files (read back from ours, or from {@code candles-sink-marks}). */
    void raise(String ticker, TickerMarks marks) {
        marks.newest().forEach((period, ts) -> {
            written.get(period).merge(ticker, ts, WrittenMarks::later);
            taken.get(period).merge(ticker, ts, WrittenMarks::later);
        });
    }

    void raise(Map<CandlePeriod, Map<String, Instant>> marks) {
        marks.forEach((period, newest) -> newest.forEach((ticker, ts) -> {
            written.get(period).merge(ticker, ts, WrittenMarks::later);
            taken.get(period).merge(ticker, ts, WrittenMarks::later);
        }));
    }

    /** The ticker's written marks, as its record in {@code candles-sink-marks} holds them. */
    TickerMarks of(String ticker) {
        Map<CandlePeriod, Instant> newest = new EnumMap<>(CandlePeriod.class);
        written.forEach((period, marks) -> {
            Instant ts = marks.get(ticker);
            if (ts != null) {
                newest.put(period, ts);
            }
        });
        return new TickerMarks(newest);
    }

    /** Buffered candles were dropped (their partitions went elsewhere): only the written and these count as taken. */
    void retake(Iterable<Candle> stillBuffered) {
        written.forEach((period, marks) -> taken.put(period, new HashMap<>(marks)));
        stillBuffered.forEach(this::take);
    }

    static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
