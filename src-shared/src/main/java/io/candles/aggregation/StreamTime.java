package io.candles.aggregation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.candles.domain.InvalidRecordException;

/**
 * The newest event time accepted on each partition, and the bound ({@code candles.max-ahead} in consumer-app,
 * {@code query.max-ahead} in query-app) on how far ahead a record may be. One record with a ts years ahead would
 * otherwise become the partition's stream time: it would close every other window of the partition early, pin its
 * commit forever as an open window that never closes, and make every later candle of its series look like a repeat.
 *
 * <p>Ahead of what: the later of the partition's stream time and the record's Kafka timestamp (when it was
 * produced). The stream time alone would refuse a legitimate jump for good (a feed that resumes after a pause of
 * more than max-ahead: every record after it would be too far ahead of the one before); the Kafka timestamp alone
 * would refuse a simulated time that runs faster than the wall clock (the producer's {@code generator.factor}). A
 * partition read afresh (after a restart or a rebalance) has no stream time until its first record, unless its
 * reader {@link #seed}s it from what it kept (a stage's commit, the sink's written marks); an unseeded partition
 * takes its first record as it is.
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
     * @param recordTimestamp the record's Kafka timestamp in epoch milliseconds; negative when it has none
     * @throws InvalidRecordException "ts too far ahead", when ts is more than max-ahead after both the partition's
     *                                newest ts and the record's timestamp (never for the first ts of an unseeded
     *                                partition)
     */
    public void accept(int partition, Instant ts, long recordTimestamp) {
        Instant current = newest.get(partition);
        Instant produced = recordTimestamp < 0 ? null : Instant.ofEpochMilli(recordTimestamp);
        Instant anchor = current == null || produced == null || current.isAfter(produced) ? current : produced;
        if (anchor != null && ts.isAfter(anchor.plus(maxAhead))) {
            List<String> anchors = new ArrayList<>(2);
            if (current != null) {
                anchors.add(current + ", the newest ts of partition " + partition);
            }
            if (produced != null) {
                anchors.add(produced + ", when the record was produced");
            }
            throw new InvalidRecordException("ts too far ahead: " + ts + " is more than " + maxAhead + " (" + setting
                    + ") after " + String.join(" and after ", anchors));
        }
        if (current == null || ts.isAfter(current)) {
            newest.put(partition, ts);
        }
    }

    /** Starts the partition's stream time at {@code ts} at least (what its reader knew of it before). */
    public void seed(int partition, Instant ts) {
        newest.merge(partition, ts, (known, seeded) -> seeded.isAfter(known) ? seeded : known);
    }

    /** The partition's stream time, if it has one. */
    public Optional<Instant> of(int partition) {
        return Optional.ofNullable(newest.get(partition));
    }

    /** The partition is read afresh (revoked, or assigned again): its stream time starts over with its next record. */
    public void forget(int partition) {
        newest.remove(partition);
    }

    public void forgetAll() {
        newest.clear();
    }
}
