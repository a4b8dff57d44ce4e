package io.candles.consumer.kafka;

import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Producer;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * The Kafka producer of an outgoing channel, which the connector configures, creates and closes; looked up once.
 * Records are sent with it directly rather than through an {@code Emitter}, whose per-message pipeline cost more
 * than the aggregation (docs/performance.md). So SmallRye logs at start that the channel "has no upstream"
 * (SRMSG00207): expected.
 */
public class ChannelProducer<K, V> implements Supplier<Producer<K, V>> {

    private final KafkaClientService clients;
    private final String channel;
    private volatile Producer<K, V> producer;

    public ChannelProducer(KafkaClientService clients, String channel) {
        this.clients = clients;
        this.channel = channel;
    }

    @Override
    public Producer<K, V> get() {
        Producer<K, V> current = producer;
        if (current == null) {
            current = clients.<K, V> getProducer(channel).unwrap();
            producer = current;
        }
        return current;
    }
}
