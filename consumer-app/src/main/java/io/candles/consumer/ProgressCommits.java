package io.candles.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.candles.consumer.kafka.PartitionCommit;
import io.candles.consumer.kafka.PartitionWork;
import io.candles.consumer.sink.CandleSink;
import io.candles.consumer.stage.CandleStage;
import io.candles.consumer.stage.CandleStages;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Drives every consumer's {@link PartitionWork} (the stages', the sink's) from Kafka: the one rebalance listener of
 * all incoming channels ({@value #LISTENER}) opens and closes partitions, finding the work by the consumer's group
 * (which is its channel's name), and commits on revocation; a schedule commits what moved every
 * {@code candles.commit-interval}; the shutdown commits once more. Every channel says {@code commit-strategy=ignore}:
 * the connector commits nothing itself.
 *
 * <p>Why not the connector's strategies: the throttled one commits on revocation <em>before</em> a rebalance listener
 * runs, so work that completes in between (a candle Kafka accepts a moment later, a batch being written) would be
 * redone by the new owner; and per-record acknowledgements cost more than the aggregation itself.
 */
@ApplicationScoped
public class ProgressCommits {

    private static final Logger LOG = Logger.getLogger(ProgressCommits.class);
    /** The identifier of the rebalance listener (each channel's {@code consumer-rebalance-listener.name}). */
    public static final String LISTENER = "candle-consumers";
    /** How long the shutdown commits of all consumers may take together (deploy-checks counts it in the drain). */
    public static final Duration COMMIT_ON_SHUTDOWN = Duration.ofSeconds(5);

    private final KafkaClientService clients;
    /** Each consumer's work by its group (= channel), in {@link IncomingChannels} order. */
    private final Map<String, PartitionWork> byGroup = new LinkedHashMap<>();
    /** The consumers that were assigned partitions, by group: only they have anything to commit. */
    private final Map<String, KafkaConsumer<Object, Object>> assigned = new ConcurrentHashMap<>();

    @Inject
    ProgressCommits(KafkaClientService clients, CandleStages stages, CandleSink sink) {
        this.clients = clients;
        for (CandleStage stage : stages.all()) {
            byGroup.put(stage.stage().channel(), stage);
        }
        byGroup.put(CandleSink.CHANNEL, sink);
    }

    @Produces
    @Identifier(LISTENER)
    KafkaConsumerRebalanceListener rebalanceListener() {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                String group = consumer.groupMetadata().groupId();
                workOf(group).open(committedMetadata(consumer, partitions, group),
                        consumer.groupMetadata().generationId());
                assigned.put(group, clients.getConsumer(group));
            }

            @Override
            public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                if (partitions.isEmpty()) {
                    return;
                }
                String group = consumer.groupMetadata().groupId();
                if (consumer.groupMetadata().generationId() < 0) {
                    // Lost, not revoked (SmallRye 4.33 reports both here): the member was dropped from the group,
                    // so another may own these already. Nothing may be committed or written for them any more.
                    workOf(group).lose(numbers(partitions));
                    LOG.warnf("%s: partitions %s lost (this member missed its session); dropped without a commit",
                            group, numbers(partitions));
                    return;
                }
                try {
                    Map<Integer, PartitionCommit> commits = workOf(group).close(numbers(partitions));
                    Map<TopicPartition, OffsetAndMetadata> offsets = kafkaOffsets(partitions, commits);
                    if (!offsets.isEmpty()) {
                        consumer.commitSync(offsets);
                    }
                    LOG.infof("%s: partitions %s revoked, committed %s", group, numbers(partitions),
                            offsetsOf(offsets));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warnf("%s: could not commit on the revocation of %s (%s); the new owner reads from the "
                            + "previous commit", group, numbers(partitions), e.toString());
                }
            }
        };
    }

    /** Commits, for every consumer, how far its partitions are done (without waiting for Kafka's answer). */
    @Scheduled(every = "${candles.commit-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void commitProgress() {
        assigned.forEach((group, poller) -> poller.runOnPollingThread(consumer -> {
            PartitionWork work = byGroup.get(group);
            Map<Integer, PartitionCommit> commits = owned(work.preCommit(), consumer.assignment());
            Map<TopicPartition, OffsetAndMetadata> offsets = kafkaOffsets(consumer.assignment(), commits);
            if (!offsets.isEmpty()) {
                consumer.commitAsync(offsets, (committed, failure) -> {
                    if (failure == null) {
                        work.committed(commits);
                    } else {
                        LOG.debugf("%s: commit of %s failed (%s); the next one retries", group, offsetsOf(offsets),
                                failure);
                    }
                });
            }
        }).subscribe().with(done -> { }, failure -> LOG.debugf("%s: no commit (%s)", group, failure)));
    }

    /**
     * Shutdown, after intake stopped, candles in flight settled and the sink flushed: commits how far every consumer
     * got, waiting at most {@link #COMMIT_ON_SHUTDOWN} for all of them.
     */
    public void commitOnShutdown() {
        long deadline = System.nanoTime() + COMMIT_ON_SHUTDOWN.toNanos();
        assigned.forEach((group, poller) -> {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            try {
                poller.runOnPollingThread(consumer -> {
                    PartitionWork work = byGroup.get(group);
                    Map<Integer, PartitionCommit> commits = owned(work.preCommit(), consumer.assignment());
                    Map<TopicPartition, OffsetAndMetadata> offsets = kafkaOffsets(consumer.assignment(), commits);
                    if (!offsets.isEmpty()) {
                        consumer.commitSync(offsets, left);
                        work.committed(commits);
                    }
                }).await().atMost(left.plusSeconds(1));
            } catch (RuntimeException e) {
                LOG.warnf("Shutdown: could not commit %s (%s); it reads again from its last commit", group,
                        e.toString());
            }
        });
    }

    private PartitionWork workOf(String group) {
        PartitionWork work = byGroup.get(group);
        if (work == null) {
            throw new IllegalStateException("no stage or sink reads with consumer group " + group + "; each incoming "
                    + "channel's group.id must be its channel's name, one of " + byGroup.keySet());
        }
        return work;
    }

    /** The metadata of each partition's last commit (null when none), for the stage that reads it next. */
    private static Map<Integer, String> committedMetadata(Consumer<?, ?> consumer,
            Collection<TopicPartition> partitions, String group) {
        Map<Integer, String> metadata = new HashMap<>();
        partitions.forEach(partition -> metadata.put(partition.partition(), null));
        if (partitions.isEmpty()) {
            return metadata;
        }
        try {
            consumer.committed(Set.copyOf(partitions)).forEach((partition, commit) -> {
                if (commit != null) {
                    metadata.put(partition.partition(), commit.metadata());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("%s: could not read the commits of %s (%s); their first records are taken without a max-ahead "
                    + "check", group, partitions, e.toString());
        }
        return metadata;
    }

    /** Only the commits of partitions the consumer is assigned now: Kafka refuses the others. */
    private static Map<Integer, PartitionCommit> owned(Map<Integer, PartitionCommit> commits,
            Collection<TopicPartition> assignment) {
        Map<Integer, PartitionCommit> owned = new HashMap<>();
        assignment.forEach(partition -> {
            PartitionCommit commit = commits.get(partition.partition());
            if (commit != null) {
                owned.put(partition.partition(), commit);
            }
        });
        return owned;
    }

    /** The commits of these partitions (each consumer here reads one topic), as Kafka takes them. */
    private static Map<TopicPartition, OffsetAndMetadata> kafkaOffsets(Collection<TopicPartition> partitions,
            Map<Integer, PartitionCommit> commits) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionCommit commit = commits.get(partition.partition());
            if (commit != null) {
                offsets.put(partition, new OffsetAndMetadata(commit.offset(), commit.metadata()));
            }
        }
        return offsets;
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }

    private static Map<Integer, Long> offsetsOf(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<Integer, Long> byPartition = new TreeMap<>();
        offsets.forEach((partition, commit) -> byPartition.put(partition.partition(), commit.offset()));
        return byPartition;
    }
}
