package io.candles.producer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import io.candles.domain.Candle;
import io.candles.domain.InvalidRecordException;
import io.candles.wire.CandleJson;
import io.candles.wire.PriceJson;
import io.candles.wire.Topics;
import io.smallrye.common.annotation.Identifier;

/** The real {@code prices} topic, reached with a Kafka admin client and a short-lived consumer. */
@ApplicationScoped
public class KafkaPriceTopic implements PriceTopic {

    private static final Logger LOG = Logger.getLogger(KafkaPriceTopic.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Records read back at the end of each partition: the newest readable one among them counts. */
    private static final long TAIL = 1000;

    private final Map<String, Object> kafkaConfig;
    private final TopicConfig topics;

    @Inject
    KafkaPriceTopic(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicConfig topics) {
        this.kafkaConfig = kafkaConfig;
        this.topics = topics;
    }

    @Override
    public int prepare() {
        Map<String, Object> config = clientConfig(AdminClientConfig.configNames());
        // Fail fast while the broker is away; the generator retries and readiness says why.
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = List.of(Topics.PRICES, Topics.CANDLES, Topics.DEAD_LETTER).stream()
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, topics.partitions(), topics.replicationFactor()))
                    .toList();
            if (!missing.isEmpty()) {
                createIgnoringRaces(admin, missing);
                LOG.infof("Created topics %s with %d partitions each", names(missing), topics.partitions());
            }
            Map<String, TopicDescription> described = admin
                    .describeTopics(List.of(Topics.PRICES, Topics.CANDLES)).allTopicNames().get();
            described.values().stream()
                    .filter(topic -> topic.partitions().size() != topics.partitions())
                    .forEach(topic -> LOG.warnf("Topic %s exists with %d partitions, topics.partitions asks for %d: "
                            + "using the %d it has (partitions are never changed here, that would move tickers)",
                            topic.name(), topic.partitions().size(), topics.partitions(), topic.partitions().size()));
            int prices = described.get(Topics.PRICES).partitions().size();
            int candles = described.get(Topics.CANDLES).partitions().size();
            if (prices != candles) {
                // Every stage publishes a candle to its input's partition number: the chains would break.
                throw new IllegalStateException("Topic " + Topics.PRICES + " has " + prices + " partitions and "
                        + Topics.CANDLES + " has " + candles + ": they must be equal (a stage publishes each candle to "
                        + "its input's partition number); recreate " + Topics.CANDLES + " with " + prices
                        + " partitions");
            }
            return prices;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * The newest simulated time already sent: the newest readable price among the last records of each partition
     * of {@code prices}, and at least the end of the newest candle in {@code candles}, which outlives prices that
     * retention has deleted. Unreadable records are passed over; empty (or emptied) partitions are skipped.
     */
    @Override
    public Optional<Instant> newestTimestamp() {
        Optional<Instant> price = newest(Topics.PRICES, "read_uncommitted",
                record -> PriceJson.read(record.value()).ts());
        Optional<Instant> candleEnd = newest(Topics.CANDLES, "read_committed", record -> {
            Candle candle = CandleJson.read(record.value());
            return candle.ts().plus(candle.period().duration());
        });
        if (price.isEmpty() && candleEnd.isPresent()) {
            LOG.infof("No readable price left in %s; resuming after the newest candle's end, %s", Topics.PRICES,
                    candleEnd.get());
        }
        return Stream.of(price, candleEnd).flatMap(Optional::stream).max(Instant::compareTo);
    }

    /** The newest time {@code timeOf} reads from the last {@value #TAIL} records of each partition of the topic. */
    private Optional<Instant> newest(String topic, String isolation,
            Function<ConsumerRecord<byte[], byte[]>, Instant> timeOf) {
        Map<String, Object> config = clientConfig(ConsumerConfig.configNames());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> toRead = new HashMap<>();
            for (TopicPartition partition : partitions) {
                long start = starts.get(partition);
                long end = ends.get(partition);
                if (end > start) { // else empty, or emptied by retention
                    consumer.seek(partition, Math.max(start, end - TAIL));
                    toRead.put(partition, end);
                }
            }
            consumer.pause(partitions.stream().filter(p -> !toRead.containsKey(p)).toList());
            Instant newest = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!toRead.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Instant ts = readable(record, timeOf);
                    if (ts != null && (newest == null || ts.isAfter(newest))) {
                        newest = ts;
                    }
                }
                // Done with a partition once its position reached the end (transaction markers count as records).
                toRead.keySet().removeIf(partition -> consumer.position(partition) >= toRead.get(partition));
            }
            if (!toRead.isEmpty()) {
                throw new IllegalStateException("could not read the last records of " + toRead.keySet());
            }
            return Optional.ofNullable(newest);
        }
    }

    private static Instant readable(ConsumerRecord<byte[], byte[]> record,
            Function<ConsumerRecord<byte[], byte[]>, Instant> timeOf) {
        try {
            if (record.value() == null) {
                throw new InvalidRecordException("record has no value (null)");
            }
            return timeOf.apply(record);
        } catch (InvalidRecordException e) {
            LOG.warnf("Ignoring unreadable record %s-%d at offset %d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return null;
        }
    }

    private static void createIgnoringRaces(Admin admin, List<NewTopic> missing)
            throws InterruptedException, ExecutionException {
        try {
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static String names(List<NewTopic> topics) {
        return topics.stream().map(NewTopic::name).collect(Collectors.joining(", "));
    }

    /** Quarkus' Kafka settings ({@code kafka.*}), restricted to what this client knows to avoid warnings. */
    private Map<String, Object> clientConfig(Set<String> known) {
        Map<String, Object> config = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (known.contains(key)) {
                config.put(key, value);
            }
        });
        return config;
    }
}
