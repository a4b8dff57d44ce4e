package io.candles.consumer.sink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;

/**
 * The candles waiting for their batch, one queue per period (one file each), oldest first. Not thread-safe: the
 * {@link CandleBatchWriter} guards it; only {@link #waiting} may be read without its lock (by the metrics and the
 * progress line, which must not wait for a write in progress).
 */
final class PeriodBatches {

    /** A buffered candle and the record it came from. */
    record Pending(Candle candle, int partition, long offset, long bufferedAtNanos) {
    }

    private final Map<CandlePeriod, ArrayDeque<Pending>> queues = new EnumMap<>(CandlePeriod.class);
    /** Each queue's size, by period ordinal, kept with every change. */
    private final AtomicIntegerArray sizes = new AtomicIntegerArray(CandlePeriod.values().length);

    PeriodBatches() {
        for (CandlePeriod period : CandlePeriod.values()) {
            queues.put(period, new ArrayDeque<>());
        }
    }

    void add(Pending pending) {
        queues.get(pending.candle().period()).addLast(pending);
        counted(pending.candle().period());
    }

    int size(CandlePeriod period) {
        return queues.get(period).size();
    }

    /** {@link #size}, readable from any thread. */
    int waiting(CandlePeriod period) {
        return sizes.get(period.ordinal());
    }

    private void counted(CandlePeriod period) {
        sizes.set(period.ordinal(), queues.get(period).size());
    }

    /** Whether the period's oldest candle was buffered at or before {@code nanos} ({@link System#nanoTime}). */
    boolean oldestBufferedBy(CandlePeriod period, long nanos) {
        Pending oldest = queues.get(period).peekFirst();
        return oldest != null && oldest.bufferedAtNanos() <= nanos;
    }

    /** Removes and returns the period's oldest {@code count} candles. */
    List<Pending> take(CandlePeriod period, int count) {
        ArrayDeque<Pending> queue = queues.get(period);
        List<Pending> batch = new ArrayList<>(count);
        while (batch.size() < count && !queue.isEmpty()) {
            batch.add(queue.removeFirst());
        }
        counted(period);
        return batch;
    }

    /** Puts a batch that was not written back in front of its period's queue, in its order. */
    void putBack(CandlePeriod period, List<Pending> batch) {
        ArrayDeque<Pending> queue = queues.get(period);
        for (int i = batch.size() - 1; i >= 0; i--) {
            queue.addFirst(batch.get(i));
        }
        counted(period);
    }

    /** Drops the candles of these partitions; returns how many. */
    int drop(Collection<Integer> partitions) {
        int dropped = 0;
        for (CandlePeriod period : CandlePeriod.values()) {
            ArrayDeque<Pending> queue = queues.get(period);
            int before = queue.size();
            queue.removeIf(pending -> partitions.contains(pending.partition()));
            dropped += before - queue.size();
            counted(period);
        }
        return dropped;
    }

    List<Candle> candles() {
        List<Candle> candles = new ArrayList<>();
        queues.values().forEach(queue -> queue.forEach(pending -> candles.add(pending.candle())));
        return candles;
    }
}
