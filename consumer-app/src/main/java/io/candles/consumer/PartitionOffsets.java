package io.candles.consumer;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which records of each partition this instance has seen and which it still owes work for (an open window, a
 * buffered candle), so that on revocation it can commit exactly up to its first unfinished record.
 *
 * <p>Why our own bookkeeping: the connector's throttled strategy commits on revocation <em>before</em> our rebalance
 * listener runs, so work that completes in between (a candle Kafka accepts a moment later, a batch being written)
 * would be redone by the new owner, in its own files. The listener settles that work, then commits again from here.
 * Not thread-safe: the owner (a stage, the batch writer) guards it.
 */
public final class PartitionOffsets {

    private final Map<Integer, Long> nextUnseen = new HashMap<>();
    private final Map<Integer, TreeSet<Long>> unfinished = new HashMap<>();
    private final Set<Integer> assigned = new HashSet<>();
    private boolean assignmentsKnown;

    /** Records a record as seen; {@code finished} false when work for it remains (call {@link #finished} later). */
    public void seen(int partition, long offset, boolean finished) {
        if (offset < 0) {
            return; // not from Kafka (in-memory channel tests)
        }
        nextUnseen.merge(partition, offset + 1, Math::max);
        if (!finished) {
            unfinished.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
        }
    }

    public void finished(int partition, long offset) {
        TreeSet<Long> open = unfinished.get(partition);
        if (open != null) {
            open.remove(offset);
        }
    }

    /** The offset to commit: the first unfinished record, or the first one not seen yet. */
    public OptionalLong committable(int partition) {
        TreeSet<Long> open = unfinished.get(partition);
        if (open != null && !open.isEmpty()) {
            return OptionalLong.of(open.first());
        }
        Long next = nextUnseen.get(partition);
        return next == null ? OptionalLong.empty() : OptionalLong.of(next);
    }

    /** Whether records of this partition are ours to process (true until the first rebalance callback). */
    public boolean owns(int partition) {
        return !assignmentsKnown || assigned.contains(partition);
    }

    /**
     * The whole assignment, as the eager protocol hands it over after every rebalance (the consumer app pins the
     * RangeAssignor for that): owns exactly these from now on, each read afresh from its committed offset.
     */
    public void assignedExactly(Collection<Integer> partitions) {
        assignmentsKnown = true;
        Set<Integer> previous = new HashSet<>(assigned);
        previous.forEach(this::forget);
        assigned.clear();
        assigned.addAll(partitions);
        partitions.forEach(this::forget);
    }

    /** Stops taking records of these partitions; what was seen stays, to compute the revocation commit. */
    public void stopOwning(Collection<Integer> partitions) {
        assignmentsKnown = true;
        assigned.removeAll(partitions);
    }

    /** Forgets these partitions entirely (after their revocation commit, or when they were lost). */
    public void forget(Collection<Integer> partitions) {
        stopOwning(partitions);
        partitions.forEach(this::forget);
    }

    private void forget(int partition) {
        nextUnseen.remove(partition);
        unfinished.remove(partition);
    }
}
