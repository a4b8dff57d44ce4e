package io.candles.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.smallrye.reactive.messaging.kafka.impl.KafkaRecordHelper;

/**
 * Polls as the Kafka connector delivers them to a batch channel, without a broker: a record batch whose records carry
 * their Kafka metadata (topic, partition, offset, key, timestamp). The connector's commit and failure handlers are
 * no-ops here: the app commits itself, and these records are all readable.
 */
public final class Polls {

    private static final KafkaCommitHandler NO_COMMITS = new KafkaCommitHandler() {
        @Override
        public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
            return Uni.createFrom().voidItem();
        }
    };
    private static final KafkaFailureHandler NO_NACKS = new KafkaFailureHandler() {
        @Override
        public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
            return Uni.createFrom().voidItem();
        }
    };

    private Polls() {
    }

    /**
     * The values as records of {@code topic}'s partition {@code partition}, from {@code firstOffset} on, polled in
     * the consumer group's {@code generation} (which the connector tags each polled record with).
     */
    public static <V> IncomingKafkaRecordBatch<String, V> of(String channel, String topic, int partition,
            long firstOffset, int generation, List<V> values) {
        TopicPartition topicPartition = new TopicPartition(topic, partition);
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        for (V value : values) {
            ConsumerRecord<String, V> record = new ConsumerRecord<>(topic, partition, firstOffset + records.size(),
                    "key", value);
            KafkaRecordHelper.addGenerationIdToHeaders(record,
                    new ConsumerGroupMetadata(channel, generation, "member", Optional.empty()));
            records.add(record);
        }
        return new IncomingKafkaRecordBatch<>(new ConsumerRecords<>(Map.of(topicPartition, records), Map.of()),
                channel, 0, NO_COMMITS, NO_NACKS, false, false);
    }
}
