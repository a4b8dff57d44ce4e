package io.candles.consumer.kafka;

import java.util.Collection;
import java.util.Map;

/**
 * One consumer's work on the partitions it owns, in the shape of Kafka Connect's sink tasks: {@code open} when
 * partitions are assigned, {@code close} (with what to commit) when they are revoked, {@code preCommit} for the
 * periodic commit. Implemented by each stage and by the sink; {@code ProgressCommits} drives it from the rebalance
 * callbacks, its schedule and the shutdown. The consumer app pins the eager rebalance protocol, so every assignment
 * is whole and follows the revocation of everything owned before.
 */
public interface PartitionWork {

    /**
     * The whole new assignment: each partition is read afresh from its commit. Records polled before it (of an older
     * {@code generation}, still in a delivery being processed) are ignored: the partition is read again from its
     * commit.
     *
     * @param committedMetadata per assigned partition, the metadata of its last commit (null when none)
     * @param generation        the consumer group's generation of this assignment
     */
    void open(Map<Integer, String> committedMetadata, int generation);

    /**
     * These partitions go elsewhere: settle what can still settle, stop taking their records and forget them.
     *
     * @return what to commit for each of them that has moved
     */
    Map<Integer, PartitionCommit> close(Collection<Integer> partitions) throws InterruptedException;

    /**
     * These partitions were lost: another member may own them already (this one missed its session). Drops them
     * without finishing or committing anything, and without writing anything more for them.
     */
    void lose(Collection<Integer> partitions);

    /** What to commit now, for the owned partitions that moved since their last commit. */
    Map<Integer, PartitionCommit> preCommit();

    /** Kafka took these commits. */
    void committed(Map<Integer, PartitionCommit> commits);
}
