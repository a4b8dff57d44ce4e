package io.candles.consumer.kafka;

import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * How far one consumer of this app (a stage, the sink) got on one partition it owns, as offsets: the offset to
 * commit is that of its first record whose work is not done. Work is done for a record when nothing holds it: a
 * stage holds the first record of a candle until Kafka accepted the candle and a bad record until its dead letter is
 * written; the sink holds a candle until its batch is on disk and its series' marks are in
 * {@code candles-sink-marks}. Work that failed for good pins its record until the partition is read afresh.
 *
 * <p>One per owned partition, made when the partition is assigned and dropped when it is revoked: Kafka Connect's
 * sink tasks keep their state the same way ({@code open}, {@code close}, {@code preCommit}). Used by
 * {@code CandleStage} and {@code CandleBatchWriter}, under their own locks: not thread-safe.
 */
public final class PartitionProgress {

    private long nextUnseen = -1;
    /** First offsets of work in flight, with how many pieces of work hold each. */
    private final TreeMap<Long, Integer> held = new TreeMap<>();
    private long pinnedAt = Long.MAX_VALUE;
    private long lastCommitted = -1;

    /** A record was read; unless held, it is done. */
    public void seen(long offset) {
        nextUnseen = Math.max(nextUnseen, offset + 1);
    }

    /** Work for the record at {@code offset} is under way: not committed past until {@link #release}d. */
    public void hold(long offset) {
        held.merge(offset, 1, Integer::sum);
    }

    public void release(long offset) {
        held.computeIfPresent(offset, (first, count) -> count == 1 ? null : count - 1);
    }

    /** Work for the record at {@code offset} failed: never committed past, so whoever reads next redoes it. */
    public void pin(long offset) {
        pinnedAt = Math.min(pinnedAt, offset);
    }

    /** Whether work is in flight. */
    public boolean busy() {
        return !held.isEmpty();
    }

    /**
     * The offset to commit: the first record held or pinned, else the first not seen yet, and never past
     * {@code floor} (a stage's first record of an open window). Empty before the first record.
     */
    public OptionalLong committable(long floor) {
        if (nextUnseen < 0) {
            return OptionalLong.empty();
        }
        long offset = Math.min(Math.min(nextUnseen, floor), pinnedAt);
        return OptionalLong.of(held.isEmpty() ? offset : Math.min(offset, held.firstKey()));
    }

    /** {@link #committable}, when it moved past the last commit; empty otherwise. */
    public OptionalLong toCommit(long floor) {
        OptionalLong offset = committable(floor);
        return offset.isPresent() && offset.getAsLong() > lastCommitted ? offset : OptionalLong.empty();
    }

    /** Kafka took a commit of {@code offset}. */
    public void committed(long offset) {
        lastCommitted = Math.max(lastCommitted, offset);
    }
}
