package io.candles.consumer.sink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.candles.consumer.kafka.PartitionCommit;
import io.candles.consumer.kafka.PartitionProgress;

/**
 * The partitions of {@code candles} the sink owns, each with its {@link PartitionProgress} and with what
 * {@code candles-sink-marks} holds of it. A candle holds its record until its batch is on disk <em>and</em> its
 * ticker's marks are recorded: only then may the commit pass it, so that whoever reads the partition after this
 * instance (even after a crash) knows it is written. Not thread-safe: the {@link CandleBatchWriter} guards it.
 */
final class SinkPartitions {

    /** One owned partition. */
    static final class Owned {
        /** The consumer group's generation that assigned it: records polled before are not for this state. */
        final int generation;
        final PartitionProgress progress = new PartitionProgress();
        /** Tickers that have a record on this partition of {@code candles-sink-marks}; null until it was read. */
        Set<String> recorded;
        /** Tickers whose record is missing or behind what is on disk. */
        final Set<String> toRecord = new HashSet<>();
        /** Records whose candle is on disk while its ticker's marks are not recorded yet. */
        final List<Long> awaitingRecord = new ArrayList<>();

        Owned(int generation) {
            this.generation = generation;
        }

        boolean read() {
            return recorded != null;
        }

        /** A candle of this ticker is about to be written: its record must exist before (see CandleBatchWriter). */
        void taking(String ticker) {
            if (!recorded.contains(ticker)) {
                toRecord.add(ticker);
            }
        }

        /** The candle of this record is on disk. */
        void written(String ticker, long offset) {
            toRecord.add(ticker);
            awaitingRecord.add(offset);
        }

        /** The marks of these tickers are recorded: the candles waiting for it are done. */
        void recorded(Collection<String> tickers) {
            recorded.addAll(tickers);
            toRecord.removeAll(tickers);
            if (toRecord.isEmpty()) {
                awaitingRecord.forEach(progress::release);
                awaitingRecord.clear();
            }
        }
    }

    private final Map<Integer, Owned> owned = new HashMap<>();

    /** The partition's state, or null when this instance does not own it. */
    Owned get(int partition) {
        return owned.get(partition);
    }

    Map<Integer, Owned> all() {
        return owned;
    }

    /** The whole new assignment (the eager protocol): every partition starts afresh, its marks unread. */
    void openExactly(Collection<Integer> partitions, int generation) {
        owned.clear();
        partitions.forEach(partition -> owned.put(partition, new Owned(generation)));
    }

    /** Stops owning these, without a commit. */
    void forget(Collection<Integer> partitions) {
        partitions.forEach(owned::remove);
    }

    /** Stops owning these; returns, for each that moved, the offset of its first record not done. */
    Map<Integer, PartitionCommit> close(Collection<Integer> partitions) {
        Map<Integer, PartitionCommit> commits = new HashMap<>();
        for (int partition : partitions) {
            Owned state = owned.remove(partition);
            if (state != null) {
                state.progress.committable(Long.MAX_VALUE)
                        .ifPresent(offset -> commits.put(partition, new PartitionCommit(offset, null)));
            }
        }
        return commits;
    }

    Map<Integer, PartitionCommit> preCommit() {
        Map<Integer, PartitionCommit> commits = new HashMap<>();
        owned.forEach((partition, state) -> state.progress.toCommit(Long.MAX_VALUE)
                .ifPresent(offset -> commits.put(partition, new PartitionCommit(offset, null))));
        return commits;
    }

    void committed(Map<Integer, PartitionCommit> commits) {
        commits.forEach((partition, commit) -> {
            Owned state = owned.get(partition);
            if (state != null) {
                state.progress.committed(commit.offset());
            }
        });
    }

    Set<Integer> numbers() {
        return new HashSet<>(owned.keySet());
    }
}
