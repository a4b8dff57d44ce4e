package io.candles.consumer.sink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.candles.consumer.kafka.TopicReader;
import io.candles.wire.Topics;

/**
 * The sink's marks in the compacted topic {@code candles-sink-marks}: key = ticker, on the ticker's partition number
 * of {@code candles}, value = {@link TickerMarks} as JSON. Compaction keeps the newest record of each ticker, so a partition
 * reads back in about one record per ticker, whatever the ticker count: unlike Kafka commit metadata (4 KB by default)
 * it has no size cap.
 *
 * <p>The topic is consumer-app's own state: it creates it at its first use (compacted, with as many partitions as
 * {@code candles} and its replication factor), adds partitions when {@code candles} got more, and refuses a topic of
 * that name that is not compacted. Records are sent with the producer of the {@code candles-sink-marks} channel
 * ({@code acks=all}, idempotent) and read back with a plain consumer.
 */
final class MarksTopic implements MarksStore {

    private static final Logger LOG = Logger.getLogger(MarksTopic.class);
    /** How long a read or a write may take; the sink retries after it (readiness DOWN meanwhile). */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int TIMEOUT_MS = (int) TIMEOUT.toMillis();
    /** Small segments, so that the cleaner compacts soon and an assignment reads back little more than a record per ticker. */
    private static final Map<String, String> TOPIC_CONFIG = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.SEGMENT_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024),
            TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(TimeUnit.HOURS.toMillis(1)));

    private final TopicReader reader;
    private final Supplier<Producer<String, String>> producer;
    private final ObjectMapper json;
    /** Partitions the topic has, as last prepared; 0 before. A partition beyond them prepares again. */
    private volatile int partitions;

    MarksTopic(TopicReader reader, Supplier<Producer<String, String>> producer, ObjectMapper json) {
        this.reader = reader;
        this.producer = producer;
        this.json = json;
    }

    @Override
    public Map<String, TickerMarks> read(int partition) {
        prepare(partition);
        Map<String, TickerMarks> marks = new HashMap<>();
        reader.read(Topics.SINK_MARKS, List.of(partition), TIMEOUT, record -> {
            String ticker = new String(record.key(), StandardCharsets.UTF_8);
            Optional<TickerMarks> value = TickerMarks.decode(json,
                    record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
            // Where compaction has not run yet a ticker has several records: the newest marks win.
            value.ifPresent(found -> marks.merge(ticker, found, TickerMarks::max));
        });
        return marks;
    }

    /** Sends every record first, then waits for all of them: one round trip, at most {@link #TIMEOUT}. */
    @Override
    public void write(Map<Integer, Map<String, TickerMarks>> marksByPartition) {
        marksByPartition.keySet().forEach(this::prepare);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        marksByPartition.forEach((partition, marks) -> marks.forEach((ticker, newest) -> sent.add(producer.get().send(
                new ProducerRecord<>(Topics.SINK_MARKS, partition, ticker, newest.encode())))));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            for (Future<RecordMetadata> record : sent) {
                record.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + Topics.SINK_MARKS, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write to " + Topics.SINK_MARKS + ": "
                    + (e.getCause() == null ? e : e.getCause()), e);
        }
    }

    /**
     * Creates the topic, or checks it, once per process; again when a partition of {@code candles} beyond its
     * partitions comes (the partitions of {@code candles} were raised): then it adds partitions.
     */
    private void prepare(int partition) {
        if (partition < partitions) {
            return;
        }
        synchronized (this) {
            if (partition < partitions) {
                return;
            }
            try (Admin admin = Admin.create(reader.adminConfig())) {
                TopicDescription candles = describe(admin, Topics.CANDLES).orElseThrow(() -> new IllegalStateException(
                        Topics.CANDLES + " does not exist yet (producer-app creates it)"));
                int partitions = candles.partitions().size();
                Optional<TopicDescription> marks = describe(admin, Topics.SINK_MARKS);
                if (marks.isEmpty()) {
                    create(admin, partitions, (short) candles.partitions().get(0).replicas().size());
                } else {
                    check(admin, marks.get(), partitions);
                }
                this.partitions = partitions;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while preparing " + Topics.SINK_MARKS, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot prepare " + Topics.SINK_MARKS + ": " + e.getCause(), e);
            }
        }
    }

    private static Optional<TopicDescription> describe(Admin admin, String topic)
            throws InterruptedException, ExecutionException {
        try {
            return Optional.of(admin.describeTopics(Set.of(topic), new DescribeTopicsOptions().timeoutMs(TIMEOUT_MS))
                    .allTopicNames().get().get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static void create(Admin admin, int partitions, short replicas)
            throws InterruptedException, ExecutionException {
        try {
            admin.createTopics(Set.of(new NewTopic(Topics.SINK_MARKS, partitions, replicas).configs(TOPIC_CONFIG)),
                    new CreateTopicsOptions().timeoutMs(TIMEOUT_MS)).all().get();
            LOG.infof("Created %s: compacted, %d partitions like %s", Topics.SINK_MARKS, partitions, Topics.CANDLES);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e; // another instance may have created it a moment ago: fine
            }
        }
    }

    private static void check(Admin admin, TopicDescription marks, int candlesPartitions)
            throws InterruptedException, ExecutionException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.SINK_MARKS);
        Config config = admin.describeConfigs(Set.of(resource), new DescribeConfigsOptions().timeoutMs(TIMEOUT_MS))
                .all().get().get(resource);
        String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            throw new IllegalStateException(Topics.SINK_MARKS + " has cleanup.policy=" + policy + ": it must be "
                    + "compact (or compact,delete with a retention longer than any pause of the pipeline), or the "
                    + "marks of quiet tickers are deleted; change it, or delete the topic and consumer-app recreates it");
        }
        if (marks.partitions().size() < candlesPartitions) {
            try {
                admin.createPartitions(Map.of(Topics.SINK_MARKS, NewPartitions.increaseTo(candlesPartitions)),
                        new CreatePartitionsOptions().timeoutMs(TIMEOUT_MS)).all().get();
                LOG.infof("%s: partitions raised from %d to %d, as %s has", Topics.SINK_MARKS,
                        marks.partitions().size(), candlesPartitions, Topics.CANDLES);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof InvalidPartitionsException)) {
                    throw e; // another instance raised them a moment ago: fine
                }
            }
        }
    }
}
