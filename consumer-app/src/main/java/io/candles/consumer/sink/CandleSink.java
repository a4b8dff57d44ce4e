package io.candles.consumer.sink;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.candles.consumer.CandlesConfig;
import io.candles.domain.Candle;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * The batch file sink: candles of all periods from the {@code candles} topic into the CSV files, 10 per append.
 *
 * <p>Each Kafka record is acknowledged on its own once its candle is on disk (or recognised as already written).
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
    private volatile boolean stopping;

    @Inject
    CandleSink(CandlesConfig config) {
        this.config = config;
        this.writer = new CandleBatchWriter(new CandleFiles(config.outputDir()), config.batchSize());
    }

    @Incoming("candles-sink")
    @Blocking
    CompletionStage<Void> onBatch(Message<List<Candle>> batch) throws InterruptedException {
        awaitWritable(writer::recover);
        if (batch instanceof KafkaRecordBatch<?, Candle> records) {
            for (KafkaRecord<?, Candle> record : records.getRecords()) {
                accept(record.getPayload(), record.getPartition(), record::ack, record);
            }
        } else {
            // Not from Kafka (the in-memory connector of channel tests): acknowledge the batch when all are written.
            List<Candle> candles = batch.getPayload();
            AtomicInteger remaining = new AtomicInteger(candles.size());
            Runnable ackOne = () -> {
                if (remaining.decrementAndGet() == 0) {
                    batch.ack();
                }
            };
            for (Candle candle : candles) {
                accept(candle, -1, ackOne, batch);
            }
        }
        awaitWritable(writer::retry);
        return DONE;
    }

    /** Shutdown: write the partial batches and acknowledge them. */
    public boolean flushOnShutdown() {
        stopping = true;
        boolean flushed = writer.flushAll();
        if (!flushed) {
            LOG.errorf("Shutdown: could not write the buffered candles (%s); they will be read again from Kafka",
                    writer.failure());
        }
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
            public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                drop(partitions);
            }

            @Override
            public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                drop(partitions);
            }
        };
    }

    public CandleBatchWriter writer() {
        return writer;
    }

    public long unreadable() {
        return unreadable.sum();
    }

    private void accept(Candle candle, int partition, Runnable ack, Object origin) {
        if (candle == null) {
            // Dead-lettered with its reason by the 2m and 10m stages, which read the same topic.
            unreadable.increment();
            LOG.warnf("Skipping a record of the candles topic that is not a candle (%s)", origin);
            ack.run();
            return;
        }
        writer.add(candle, partition, ack);
    }

    private void drop(Collection<TopicPartition> partitions) {
        int dropped = writer.dropPartitions(partitions.stream().map(TopicPartition::partition).toList());
        if (dropped > 0) {
            LOG.infof("Partitions %s revoked: dropped %d buffered candles, their new owner reads them again",
                    partitions, dropped);
        }
    }

    /** Holds this batch (and so the channel) until the files can be written, retrying every second. */
    private void awaitWritable(java.util.function.BooleanSupplier attempt) throws InterruptedException {
        while (!attempt.getAsBoolean() && !stopping) {
            Thread.sleep(RETRY_INTERVAL.toMillis()); // retry interval while the directory is unwritable
        }
    }
}
