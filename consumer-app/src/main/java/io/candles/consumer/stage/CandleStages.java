package io.candles.consumer.stage;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.candles.consumer.CandlesConfig;
import io.candles.consumer.RevocationCommit;
import io.candles.consumer.stage.CandleStage.Input;
import io.candles.domain.CandlePeriod;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * The three aggregation stages, each on its own channel and consumer group: prices to 1m, 1m to 2m, 2m to 10m. Each
 * channel delivers whole polls ({@code batch=true}) and commits nothing itself ({@code commit-strategy=ignore}): the
 * stages commit what {@link CandleStage#toCommit} allows, every {@code candles.commit-interval}, on revocation and at
 * shutdown.
 */
@ApplicationScoped
public class CandleStages {

    private static final Logger LOG = Logger.getLogger(CandleStages.class);
    /** How long a revocation waits for candles in flight, so that their inputs are committed by this instance. */
    private static final Duration SETTLE_ON_REVOKE = Duration.ofSeconds(10);
    /** How long the shutdown commits of all stages may take together (deploy-checks counts it in the drain). */
    static final Duration COMMIT_ON_SHUTDOWN = Duration.ofSeconds(5);

    private final KafkaClientService clients;
    /** Each stage by the channel it reads. */
    private final Map<String, CandleStage> byChannel;

    @Inject
    CandleStages(CandlesConfig config, CandlePublisher publisher, KafkaClientService clients,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.clients = clients;
        Duration grace = positive("candles.grace", config.grace());
        Duration maxAhead = positive("candles.max-ahead", config.maxAhead());
        DeadLetterLedger ledger = DeadLetterLedger.of(kafkaConfig);
        ledger.prefetch(); // so that the first bad record does not wait for the whole topic to be read
        // The 2m and 10m stages read the same topic: only the first of them dead-letters an unreadable record.
        this.byChannel = Map.of(
                "prices-in", new CandleStage(CandlePeriod.ONE_MINUTE, grace, maxAhead, publisher, true, ledger),
                "candles-1m-in", new CandleStage(CandlePeriod.TWO_MINUTES, grace, maxAhead, publisher, true, ledger),
                "candles-2m-in", new CandleStage(CandlePeriod.TEN_MINUTES, grace, maxAhead, publisher, false, ledger));
    }

    /** A zero or negative window setting would close windows before their prices arrive: refuse to start. */
    static Duration positive(String setting, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(setting + " must be more than 0, was " + value
                    + "; set it (env " + setting.toUpperCase().replace('.', '_').replace('-', '_')
                    + ") to e.g. 10s");
        }
        return value;
    }

    @Incoming("prices-in")
    CompletionStage<Void> prices(Message<List<byte[]>> batch) {
        return feed("prices-in", batch);
    }

    @Incoming("candles-1m-in")
    CompletionStage<Void> oneMinuteCandles(Message<List<byte[]>> batch) {
        return feed("candles-1m-in", batch);
    }

    @Incoming("candles-2m-in")
    CompletionStage<Void> twoMinuteCandles(Message<List<byte[]>> batch) {
        return feed("candles-2m-in", batch);
    }

    /** The stages in order: 1m, 2m, 10m. */
    public List<CandleStage> all() {
        return List.of(byChannel.get("prices-in"), byChannel.get("candles-1m-in"), byChannel.get("candles-2m-in"));
    }

    /** Commits, for every stage, how far its partitions are done (without waiting for Kafka's answer). */
    @Scheduled(every = "${candles.commit-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void commitProgress() {
        byChannel.forEach((channel, stage) -> onPollingThread(channel, consumer -> {
            Map<Integer, Long> offsets = stage.toCommit(RevocationCommit.numbers(consumer.assignment()));
            if (!offsets.isEmpty()) {
                consumer.commitAsync(kafkaOffsets(consumer, stage, offsets), (committed, failure) -> {
                    if (failure == null) {
                        stage.committed(offsets);
                    } else {
                        LOG.debugf("%s: commit of %s failed (%s); the next one retries", channel, offsets, failure);
                    }
                });
            }
        }).subscribe().with(done -> { }, failure -> LOG.debugf("%s: no commit (%s)", channel, failure)));
    }

    /**
     * Shutdown, after intake stopped and candles in flight settled: commits how far every stage got, waiting at most
     * {@link #COMMIT_ON_SHUTDOWN} for all of them.
     */
    public void commitOnShutdown() {
        long deadline = System.nanoTime() + COMMIT_ON_SHUTDOWN.toNanos();
        byChannel.forEach((channel, stage) -> {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            try {
                onPollingThread(channel, consumer -> {
                    Map<Integer, Long> offsets = stage.toCommit(RevocationCommit.numbers(consumer.assignment()));
                    if (!offsets.isEmpty()) {
                        consumer.commitSync(kafkaOffsets(consumer, stage, offsets), left);
                        stage.committed(offsets);
                    }
                }).await().atMost(left.plusSeconds(1));
            } catch (RuntimeException e) {
                LOG.warnf("Shutdown: could not commit the %s stage (%s); it reads again from its last commit",
                        stage.period().label(), e.toString());
            }
        });
    }

    @Produces
    @Identifier("stage-1m")
    KafkaConsumerRebalanceListener oneMinuteRebalance() {
        return rebalanceListenerOf(byChannel.get("prices-in"));
    }

    @Produces
    @Identifier("stage-2m")
    KafkaConsumerRebalanceListener twoMinutesRebalance() {
        return rebalanceListenerOf(byChannel.get("candles-1m-in"));
    }

    @Produces
    @Identifier("stage-10m")
    KafkaConsumerRebalanceListener tenMinutesRebalance() {
        return rebalanceListenerOf(byChannel.get("candles-2m-in"));
    }

    /** Each record of the poll into the stage; the batch itself is acknowledged at once (commits are ours). */
    private CompletionStage<Void> feed(String channel, Message<List<byte[]>> batch) {
        CandleStage stage = byChannel.get(channel);
        if (batch instanceof KafkaRecordBatch<?, ?> records) {
            for (KafkaRecord<?, ?> record : records) {
                IncomingKafkaRecord<?, ?> incoming = (IncomingKafkaRecord<?, ?>) record;
                stage.accept(new Input(incoming.getPartition(), incoming.getOffset(),
                        incoming.getTimestamp() == null ? -1 : incoming.getTimestamp().toEpochMilli(),
                        (byte[]) incoming.getPayload(),
                        incoming));
            }
        } else {
            // Not from Kafka (channel tests on the in-memory connector): no partition, no offsets.
            for (byte[] value : batch.getPayload()) {
                stage.accept(new Input(-1, -1, -1, value, Message.of(value)));
            }
        }
        return batch.ack();
    }

    private KafkaConsumerRebalanceListener rebalanceListenerOf(CandleStage stage) {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                stage.assigned(RevocationCommit.numbers(partitions));
                if (partitions.isEmpty()) {
                    return;
                }
                try {
                    consumer.committed(Set.copyOf(partitions)).forEach((partition, commit) -> {
                        if (commit != null) {
                            stage.resumeFrom(partition.partition(), commit.metadata());
                        }
                    });
                } catch (RuntimeException e) {
                    LOG.warnf("%s stage: could not read the commits of %s (%s); their first records are taken "
                            + "without a max-ahead check", stage.period().label(), partitions, e.toString());
                }
            }

            @Override
            public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                if (partitions.isEmpty()) {
                    return;
                }
                try {
                    RevocationCommit.commit(consumer, partitions,
                            stage.revoke(RevocationCommit.numbers(partitions), SETTLE_ON_REVOKE));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /** Runs on the channel's polling thread, where rebalance callbacks run too: a commit never races them. */
    private Uni<Void> onPollingThread(String channel, java.util.function.Consumer<Consumer<Object, Object>> action) {
        KafkaConsumer<Object, Object> consumer = clients.getConsumer(channel);
        if (consumer == null) {
            return Uni.createFrom().voidItem(); // not a Kafka channel (channel tests)
        }
        return consumer.runOnPollingThread(action);
    }

    private static Map<TopicPartition, OffsetAndMetadata> kafkaOffsets(Consumer<?, ?> consumer, CandleStage stage,
            Map<Integer, Long> offsets) {
        String topic = consumer.assignment().iterator().next().topic();
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((partition, offset) -> commits.put(new TopicPartition(topic, partition),
                new OffsetAndMetadata(offset, stage.commitMetadata(partition))));
        return commits;
    }
}
