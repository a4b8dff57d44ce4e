package io.candles.consumer.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.candles.aggregation.StreamTime;
import io.candles.consumer.CandlesConfig;
import io.candles.consumer.kafka.ChannelProducer;
import io.candles.consumer.kafka.PartitionCommit;
import io.candles.consumer.kafka.PartitionWork;
import io.candles.consumer.kafka.TopicReader;
import io.candles.domain.Candle;
import io.candles.domain.InvalidRecordException;
import io.candles.wire.ConsumerGroups;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * The batch file sink: candles of all periods from the {@code candles} topic into the CSV files, 10 per append.
 *
 * <p>Each delivered Kafka batch goes to the {@link CandleBatchWriter} whole, which forces the files once per delivery
 * and records the written marks in {@code candles-sink-marks} before any of it counts as done. The channel commits
 * nothing itself ({@code commit-strategy=ignore}): {@code ProgressCommits} commits what this {@link PartitionWork}
 * says is done. While the files or the marks cannot be written the sink holds on to the batch it was given and
 * retries, which stops intake: nothing is committed, nothing is lost, readiness is DOWN.
 */
@ApplicationScoped
public class CandleSink implements PartitionWork {

    /** The channel, and its consumer group. */
    public static final String CHANNEL = ConsumerGroups.SINK;
    /**
     * How long one write of marks to candles-sink-marks may take; the shutdown flush makes at most two (deploy-checks
     * counts them in the drain).
     */
    public static final Duration RECORD_TIMEOUT = MarksTopic.TIMEOUT;
    private static final Logger LOG = Logger.getLogger(CandleSink.class);
    private static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

    private final CandleBatchWriter writer;
    private final CandlesConfig config;
    private final LongAdder unreadable = new LongAdder();
    /** Judges ts as the stages do; guarded by itself (the channel's thread and the polling thread use it). */
    private final StreamTime streamTime;
    private volatile boolean stopping;

    @Inject
    CandleSink(CandlesConfig config, KafkaClientService clients,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ObjectMapper json) {
        this(config, new CandleFiles(config.outputDir()), new MarksTopic(new TopicReader(kafkaConfig),
                new ChannelProducer<>(clients, "candles-sink-marks"), json));
    }

    /** With the files and the marks' store given: tests count forces and keep the marks in a map. */
    CandleSink(CandlesConfig config, CandleFiles files, MarksStore marks) {
        this.config = config;
        this.streamTime = new StreamTime(config.maxAhead(), "candles.max-ahead");
        this.writer = new CandleBatchWriter(files, config.batchSize(), marks);
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

    @Incoming(CHANNEL)
    @Blocking
    CompletionStage<Void> onBatch(KafkaRecordBatch<String, Candle> batch) throws InterruptedException {
        awaitWritable(this::prepareOrStop);
        List<CandleBatchWriter.Delivered> delivery = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, Candle> record : batch) {
            IncomingKafkaRecord<String, Candle> incoming = (IncomingKafkaRecord<String, Candle>) record;
            delivery.add(delivered(incoming.getPayload(), incoming.getPartition(), incoming.getOffset(),
                    incoming.getTimestamp().toEpochMilli(), incoming.getConsumerGroupGenerationId()));
        }
        // In one call: one force per file for the whole delivery, not one per batch of 10.
        if (!writer.addDelivery(delivery)) {
            awaitWritable(this::prepareOrStop);
        }
        return batch.ack(); // commit-strategy=ignore: this commits nothing
    }

    /** Shutdown: write the partial batches and record their marks, close the files. */
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

    /** The eager protocol: this is the whole new assignment, each partition read afresh from its commit. */
    @Override
    public void open(Map<Integer, String> committedMetadata, int generation) {
        synchronized (streamTime) {
            streamTime.forgetAll();
        }
        writer.open(committedMetadata.keySet(), generation);
    }

    @Override
    public void lose(Collection<Integer> partitions) {
        writer.lose(partitions);
    }

    /** Under the writer's lock: no write of these partitions can slip in between the commit and the drop. */
    @Override
    public Map<Integer, PartitionCommit> close(Collection<Integer> partitions) {
        Map<Integer, PartitionCommit> commits = writer.close(partitions);
        LOG.infof("Partitions %s revoked: buffered candles left to the new owner", partitions);
        return commits;
    }

    @Override
    public Map<Integer, PartitionCommit> preCommit() {
        return writer.preCommit();
    }

    @Override
    public void committed(Map<Integer, PartitionCommit> commits) {
        writer.committed(commits);
    }

    public CandleBatchWriter writer() {
        return writer;
    }

    public long unreadable() {
        return unreadable.sum();
    }

    private CandleBatchWriter.Delivered delivered(Candle candle, int partition, long offset, long timestamp,
            int generation) {
        if (candle == null) {
            // Dead-lettered with its reason by the 2m stage, which reads the same topic.
            unreadable.increment();
            LOG.warnf("Skipping record candles-%d@%d: not a candle", partition, offset);
            return new CandleBatchWriter.Delivered(null, partition, offset, generation);
        }
        try {
            synchronized (streamTime) {
                streamTime.accept(partition, candle.ts(), timestamp);
            }
        } catch (InvalidRecordException e) {
            unreadable.increment();
            LOG.warnf("Skipping record candles-%d@%d (dead-lettered by the 2m stage): %s", partition, offset,
                    e.getMessage());
            return new CandleBatchWriter.Delivered(null, partition, offset, generation);
        }
        return new CandleBatchWriter.Delivered(candle, partition, offset, generation);
    }

    /**
     * Another running instance took the directory since the start (it could not be read then): this one stops rather
     * than share it. The channel stays blocked here until the exit.
     */
    private boolean prepareOrStop() {
        try {
            return writer.prepare();
        } catch (DirectoryInUseException e) {
            LOG.errorf("%s. Stopping.", e.getMessage());
            stopping = true;
            Quarkus.asyncExit(2);
            return false;
        }
    }

    /** Holds this batch (and so the channel) until the files and marks can be written, retrying every second. */
    private void awaitWritable(BooleanSupplier attempt) throws InterruptedException {
        while (!attempt.getAsBoolean() && !stopping) {
            Thread.sleep(RETRY_INTERVAL.toMillis()); // retry interval while the directory or the marks are unavailable
        }
    }
}
