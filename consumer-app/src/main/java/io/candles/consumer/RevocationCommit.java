package io.candles.consumer;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The second commit of a revocation, from our rebalance listeners, after the work in progress has settled (see
 * {@link PartitionOffsets} for why the connector's own revocation commit is not enough).
 */
public final class RevocationCommit {

    private static final Logger LOG = Logger.getLogger(RevocationCommit.class);

    private RevocationCommit() {
    }

    /** Commits the given offsets of these partitions, on the polling thread that runs rebalance callbacks. */
    public static void commit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
            Map<Integer, PartitionCommit> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionCommit commit = offsets.get(partition.partition());
            if (commit != null) {
                commits.put(partition, new OffsetAndMetadata(commit.offset(), commit.metadata()));
            }
        }
        if (commits.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(commits);
            LOG.debugf("Committed on revocation: %s", commits.keySet());
        } catch (RuntimeException e) {
            LOG.warnf("Could not commit %s on revocation (%s); the new owner reads from the previous commit",
                    commits, e.toString());
        }
    }

    /** The partition numbers of these topic partitions (each consumer here reads a single topic). */
    public static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).toList();
    }
}
