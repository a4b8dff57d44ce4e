package io.candles.consumer.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads partitions of a topic whole, from their beginning to the end they had when the read started, with a plain
 * consumer outside any group: how the dead-letter ledger and the sink's marks are read back. The client settings
 * are the app's own Kafka settings ({@code kafka.*}, the connector's {@code default-kafka-broker} map), filtered to
 * what a consumer (or an admin client) knows.
 */
public final class TopicReader {

    private final Map<String, Object> kafkaConfig;

    public TopicReader(Map<String, Object> kafkaConfig) {
        this.kafkaConfig = kafkaConfig;
    }

    /**
     * Every record of these partitions of {@code topic} (all of them when {@code partitions} is null), in order per
     * partition.
     *
     * @param timeout how long the read may go without getting a record (or its set-up may take); a long topic that
     *                keeps coming is read whole
     * @throws org.apache.kafka.common.KafkaException or {@link IllegalStateException} when the read stalls that long
     */
    public void read(String topic, List<Integer> partitions, Duration timeout,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> assigned = partitions != null
                    ? partitions.stream().map(partition -> new TopicPartition(topic, partition)).toList()
                    : consumer.partitionsFor(topic, timeout).stream()
                            .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            while (assigned.stream().anyMatch(partition -> consumer.position(partition, timeout) < end.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no record of " + topic + " for " + timeout
                            + " before its end was reached");
                }
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    deadline = System.nanoTime() + timeout.toNanos();
                }
                records.forEach(each);
            }
        }
    }

    /** The app's Kafka settings that a consumer knows, without a group: it reads, it never commits. */
    public Map<String, Object> consumerConfig() {
        Map<String, Object> config = only(ConsumerConfig.configNames());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        return config;
    }

    /** The app's Kafka settings that an admin client knows. */
    public Map<String, Object> adminConfig() {
        return only(AdminClientConfig.configNames());
    }

    private Map<String, Object> only(java.util.Set<String> names) {
        Map<String, Object> config = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (names.contains(key)) {
                config.put(key, value);
            }
        });
        return config;
    }
}
