package io.candles.consumer.stage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import io.candles.wire.Topics;

/**
 * The records already in {@code candles-dead-letter}, by where they came from (SmallRye's {@code dead-letter-topic},
 * {@code -partition} and {@code -offset} headers), so that a bad record read again after a crash before its commit
 * is not dead-lettered a second time. Read from the topic at the first bad record a process meets (bad records are
 * rare; a start should not wait on them), then kept current with what this process writes. Thread-safe.
 */
public final class DeadLetterLedger {

    private static final Logger LOG = Logger.getLogger(DeadLetterLedger.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final Supplier<Set<String>> existing;
    private Set<String> known;

    /** @param existing reads the origins already in the topic, as {@link #origin} keys */
    public DeadLetterLedger(Supplier<Set<String>> existing) {
        this.existing = existing;
    }

    /** A ledger over the dead-letter topic of the broker these client settings reach. */
    public static DeadLetterLedger of(Map<String, Object> kafkaConfig) {
        return new DeadLetterLedger(() -> readOrigins(kafkaConfig));
    }

    public synchronized boolean contains(String topic, int partition, long offset) {
        if (known == null) {
            known = new HashSet<>(existing.get());
        }
        return known.contains(origin(topic, partition, offset));
    }

    public synchronized void written(String topic, int partition, long offset) {
        if (known != null) {
            known.add(origin(topic, partition, offset));
        }
    }

    static String origin(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    private static Set<String> readOrigins(Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Set<String> origins = new HashSet<>();
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTER, READ_TIMEOUT).stream()
                    .map(info -> new TopicPartition(Topics.DEAD_LETTER, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("still reading after " + READ_TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String topic = header(record, "dead-letter-topic");
                    String partition = header(record, "dead-letter-partition");
                    String offset = header(record, "dead-letter-offset");
                    if (topic != null && partition != null && offset != null) {
                        origins.add(origin(topic, Integer.parseInt(partition), Long.parseLong(offset)));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not read %s (%s): a bad record read again after a crash may be dead-lettered twice",
                    Topics.DEAD_LETTER, e.toString());
        }
        LOG.infof("%d records are in %s already", origins.size(), Topics.DEAD_LETTER);
        return origins;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
