package io.candles.aggregation;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.candles.domain.InvalidRecordException;

/**
 * The newest event time accepted on each partition, and the bound ({@code candles.max-ahead} in consumer-app,
 * {@code query.max-ahead} in query-app) on how far ahead of it a record may be. One record with a ts years ahead would
 * otherwise become the partition's stream time: it would close every other window of the partition early, pin its
 * commit forever as an open window that never closes, and make every later candle of its series look like a repeat.
 *
 * <p>Used by each of consumer-app's stages (prices, candles), its sink and query-app's ingest, so that every reader
 * of {@code candles} judges a record alike: the 2m stage dead-letters it, the 10m stage, the sink and query-app skip
 * it. Not thread-safe: each user calls it under its own lock or from its one channel thread.
 */
public final class StreamTime {

    private final Duration maxAhead;
    private final String setting;
    private final Map<Integer, Instant> newest = new HashMap<>();

    /** @param setting the name of the setting {@code maxAhead} comes from, for the dead-letter reason */
    public StreamTime(Duration maxAhead, String setting) {
        this.maxAhead = maxAhead;
        this.setting = setting;
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
                    + " (" + setting + ") after " + current + ", the newest ts of partition " + partition);
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
