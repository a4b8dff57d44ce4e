package io.candles.consumer.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.candles.aggregation.StreamTime;
import io.candles.consumer.CandlesConfig;
import io.candles.consumer.PartitionCommit;
import io.candles.consumer.RevocationCommit;
import io.candles.domain.Candle;
import io.candles.domain.InvalidRecordException;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * The batch file sink: candles of all periods from the {@code candles} topic into the CSV files, 10 per append.
 *
 * <p>A delivered Kafka batch is acknowledged once all its candles are on disk (or recognised as already written). The
 * files are forced to disk once per delivered Kafka batch, after all of its appends, before any of it is acknowledged.
 * While the files cannot be written the sink holds on to the batch it was given and retries, which stops intake:
 * nothing is acknowledged, nothing is lost, readiness is DOWN.
 */
@ApplicationScoped
public class CandleSink {

    private static final Logger LOG = Logger.getLogger(CandleSink.class);
    private static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final CandleBatchWriter writer;
    private final CandlesConfig config;
    private final LongAdder unreadable = new LongAdder();
    /** Judges ts as the stages do; guarded by itself (the channel's thread and the polling thread use it). */
    private final StreamTime streamTime;
    private volatile boolean stopping;

    @Inject
    CandleSink(CandlesConfig config) {
        this(config, new CandleFiles(config.outputDir()));
    }

    /** With the files given: tests count how often they are forced. */
    CandleSink(CandlesConfig config, CandleFiles files) {
        this.config = config;
        this.streamTime = new StreamTime(config.maxAhead(), "candles.max-ahead");
        this.writer = new CandleBatchWriter(files, config.batchSize());
    }

    /**
     * At start-up, before the messaging channels start (they observe the same event at {@code LIBRARY_BEFORE}): take
     * the output directory's lock and read the marks back. A directory another running instance holds fails the
     * start before this one joins any consumer group, where its instance id (the same default, for the same
     * directory) would fence the running one out. An unwritable directory is retried with the first batch (readiness
     * DOWN meanwhile).
     */
    void lockOutputDirectory(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        writer.recover();
    }

    @Incoming("candles-sink")
    @Blocking
    CompletionStage<Void> onBatch(Message<List<Candle>> batch) throws InterruptedException {
        awaitWritable(this::recoverOrStop);
        List<CandleBatchWriter.Delivered> delivery = new ArrayList<>();
        // The batch is acknowledged once, when all its candles are written: the throttled strategy tracks the newest
        // record per partition of a batch, and acknowledging the others one by one piled their offsets up in it.
        int size = batch instanceof KafkaRecordBatch<?, Candle> records ? records.getRecords().size()
                : batch.getPayload().size();
        AtomicInteger remaining = new AtomicInteger(size);
        Runnable ackOne = () -> {
            if (remaining.decrementAndGet() == 0) {
                batch.ack();
            }
        };
        if (batch instanceof KafkaRecordBatch<?, Candle> records) {
            for (KafkaRecord<?, Candle> record : records.getRecords()) {
                long offset = record.getMetadata(IncomingKafkaRecordMetadata.class)
                        .map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
                delivery.add(delivered(record.getPayload(), record.getPartition(), offset,
                        record.getTimestamp() == null ? -1 : record.getTimestamp().toEpochMilli(), ackOne));
            }
        } else {
            // Not from Kafka (the in-memory connector of channel tests): no partition, no offsets.
            for (Candle candle : batch.getPayload()) {
                delivery.add(delivered(candle, -1, -1, -1, ackOne));
            }
        }
        // In one call: one force per file for the whole delivery, not one per batch of 10.
        if (!writer.addDelivery(delivery)) {
            awaitWritable(writer::retry);
        }
        return DONE;
    }

    /** Shutdown: write the partial batches, acknowledge them, close the files. */
    public boolean flushOnShutdown() {
        stopping = true;
        boolean flushed = writer.flushAll();
        if (!flushed) {
            LOG.errorf("Shutdown: could not write the buffered candles (%s); they will be read again from Kafka",
                    writer.failure());
        }
        writer.close();
        return flushed;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void writeLingeringBatches() {
        config.linger().ifPresent(writer::flushOlderThan);
    }

    @Produces
    @Identifier("candle-sink")
    KafkaConsumerRebalanceListener rebalanceListener() {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                adoptHighWaterMarks(consumer, partitions);
                synchronized (streamTime) {
                    streamTime.forgetAll(); // eager protocol: this is the whole new assignment, read afresh
                }
                writer.assigned(RevocationCommit.numbers(partitions));
            }

            @Override
            public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                if (partitions.isEmpty()) {
                    return;
                }
                // Under the writer's lock: no write of these partitions can slip in between this commit and the drop.
                Map<Integer, PartitionCommit> commits = writer.revoke(RevocationCommit.numbers(partitions));
                RevocationCommit.commit(consumer, partitions, commits);
                LOG.infof("Partitions %s revoked: committed %s with the written high-water marks; buffered candles "
                        + "left to the new owner", RevocationCommit.numbers(partitions), offsetsOf(commits));
            }
        };
    }

    public CandleBatchWriter writer() {
        return writer;
    }

    public long unreadable() {
        return unreadable.sum();
    }

    private CandleBatchWriter.Delivered delivered(Candle candle, int partition, long offset, long timestamp,
            Runnable ack) {
        if (candle == null) {
            // Dead-lettered with its reason by the 2m stage, which reads the same topic.
            unreadable.increment();
            LOG.warnf("Skipping record candles-%d@%d: not a candle", partition, offset);
            return new CandleBatchWriter.Delivered(null, partition, offset, ack);
        }
        try {
            synchronized (streamTime) {
                streamTime.accept(partition, candle.ts(), timestamp);
            }
        } catch (InvalidRecordException e) {
            unreadable.increment();
            LOG.warnf("Skipping record candles-%d@%d (dead-lettered by the 2m stage): %s", partition, offset,
                    e.getMessage());
            return new CandleBatchWriter.Delivered(null, partition, offset, ack);
        }
        return new CandleBatchWriter.Delivered(candle, partition, offset, ack);
    }

    /** The previous owner's revocation commit carries what it wrote: adopt it before reading these partitions. */
    private void adoptHighWaterMarks(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
            committed.forEach((partition, commit) -> {
                if (commit == null) {
                    LOG.infof("Partition %s assigned: no committed offset yet", partition);
                } else if (writer.adopt(commit.metadata())) {
                    LOG.infof("Partition %s assigned at offset %d: adopted the written high-water marks of its "
                            + "previous owner", partition, commit.offset());
                } else {
                    LOG.infof("Partition %s assigned at offset %d, without high-water marks in the commit", partition,
                            commit.offset());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("Could not read the committed high-water marks of %s (%s): candles the previous owner wrote "
                    + "may be written again here", partitions, e.toString());
        }
    }

    private static Map<Integer, Long> offsetsOf(Map<Integer, PartitionCommit> commits) {
        Map<Integer, Long> offsets = new TreeMap<>();
        commits.forEach((partition, commit) -> offsets.put(partition, commit.offset()));
        return offsets;
    }

    /**
     * The directory could not be read at start-up and another instance took it since: this one stops rather than
     * share it. The channel stays blocked here until the exit.
     */
    private boolean recoverOrStop() {
        try {
            return writer.recover();
        } catch (DirectoryInUseException e) {
            LOG.errorf("%s. Stopping.", e.getMessage());
            stopping = true;
            Quarkus.asyncExit(2);
            return false;
        }
    }

    /** Holds this batch (and so the channel) until the files can be written, retrying every second. */
    private void awaitWritable(java.util.function.BooleanSupplier attempt) throws InterruptedException {
        while (!attempt.getAsBoolean() && !stopping) {
            Thread.sleep(RETRY_INTERVAL.toMillis()); // retry interval while the directory is unwritable
        }
    }
}
