package io.candles.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.candles.domain.InvalidRecordException;

/**
 * The newest event time accepted on each partition, and the bound ({@code candles.max-ahead}) on how far ahead of it
 * a record may be. One record with a ts years ahead would otherwise become the partition's stream time: it would
 * close every other window of the partition early and, as an open window that never closes, pin its commit forever.
 *
 * <p>Used by each {@code CandleStage} (prices, candles) and by the sink, so that every reader of {@code candles}
 * judges a record alike: the 2m stage dead-letters it, the 10m stage and the sink skip it. Not thread-safe: each user
 * calls it under its own lock.
 */
public final class StreamTime {

    private final Duration maxAhead;
    private final Map<Integer, Instant> newest = new HashMap<>();

    public StreamTime(Duration maxAhead) {
        this.maxAhead = maxAhead;
    }

    /**
     * Accepts {@code ts} on {@code partition}, moving its stream time forward.
     *
     * @throws InvalidRecordException "ts too far ahead", when ts is more than max-ahead after the partition's newest
     */
    public void accept(int partition, Instant ts) {
        Instant current = newest.get(partition);
        if (current != null && ts.isAfter(current.plus(maxAhead))) {
            throw new InvalidRecordException("ts too far ahead: " + ts + " is more than " + maxAhead
                    + " (candles.max-ahead) after " + current + ", the newest ts of partition " + partition);
        }
        if (current == null || ts.isAfter(current)) {
            newest.put(partition, ts);
        }
    }

    /** The partition is read afresh (revoked, or assigned again): its stream time starts over with its next record. */
    public void forget(int partition) {
        newest.remove(partition);
    }

    public void forgetAll() {
        newest.clear();
    }
}
