package io.candles.query.cache;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.candles.domain.Candle;
import io.candles.domain.Series;

/**
 * The newest candles of one series, oldest first, in a ring of primitive arrays: about 40 bytes a candle instead of
 * the 100 a {@link Candle} object takes, which is what lets the cache hold hundreds of candles for thousands of series.
 * Candles are appended in time order (the caller keeps only newer ones); when full, the oldest goes.
 *
 * <p>{@link #complete} tells whether it holds every stored candle of the series, so that a read reaching before its
 * oldest candle is still answered here. Not thread-safe: {@link CandleCache} guards it.
 */
final class SeriesBuffer {

    private final Series series;
    private final int capacity;
    private long[] ts = new long[0];
    private double[] open = new double[0];
    private double[] high = new double[0];
    private double[] low = new double[0];
    private double[] close = new double[0];
    /** Index of the oldest candle once the ring is full; 0 before. */
    private int first;
    private int size;
    private boolean complete;

    SeriesBuffer(Series series, int capacity, boolean complete) {
        this.series = series;
        this.capacity = capacity;
        this.complete = complete;
    }

    void append(Candle candle) {
        if (size < capacity) {
            grow();
            set(size++, candle);
        } else {
            set(first, candle);
            first = (first + 1) % capacity;
            complete = false; // the oldest candle left
        }
    }

    int size() {
        return size;
    }

    boolean complete() {
        return complete;
    }

    /** Older candles of the series may be stored elsewhere. */
    void incomplete() {
        complete = false;
    }

    /** ts of the i-th candle, oldest first. */
    long tsAt(int i) {
        return ts[slot(i)];
    }

    Candle at(int i) {
        int slot = slot(i);
        return new Candle(series.ticker(), series.period(), open[slot], high[slot], low[slot], close[slot],
                Instant.ofEpochMilli(ts[slot]));
    }

    /** Index of the first candle with ts >= {@code epochMilli}, or size. */
    int firstAtOrAfter(long epochMilli) {
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (tsAt(middle) < epochMilli) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    List<Candle> between(int fromIndex, int toIndex) {
        List<Candle> candles = new ArrayList<>(Math.max(0, toIndex - fromIndex));
        for (int i = fromIndex; i < toIndex; i++) {
            candles.add(at(i));
        }
        return candles;
    }

    private int slot(int i) {
        return (first + i) % Math.max(1, ts.length);
    }

    private void set(int slot, Candle candle) {
        ts[slot] = candle.ts().toEpochMilli();
        open[slot] = candle.open();
        high[slot] = candle.high();
        low[slot] = candle.low();
        close[slot] = candle.close();
    }

    /** Arrays grow with the series (doubling, up to capacity): a series with three candles takes room for four. */
    private void grow() {
        if (size < ts.length) {
            return;
        }
        int length = Math.min(capacity, Math.max(4, ts.length * 2));
        ts = java.util.Arrays.copyOf(ts, length);
        open = java.util.Arrays.copyOf(open, length);
        high = java.util.Arrays.copyOf(high, length);
        low = java.util.Arrays.copyOf(low, length);
        close = java.util.Arrays.copyOf(close, length);
    }
}
