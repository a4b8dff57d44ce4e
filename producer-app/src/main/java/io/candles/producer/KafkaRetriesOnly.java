package io.candles.producer;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;

import io.smallrye.reactive.messaging.ClientCustomizer;

/**
 * The connector's {@code retries} attribute of the {@code prices} channel means two things: the connector's own
 * re-send of a failed message (a Mutiny retry operator built for every message, which the profile showed to be the
 * largest cost of the channel and most of its garbage) and the Kafka producer's {@code retries}. The channel sets it
 * to 0 to drop the first; this takes it out of the Kafka producer's settings again, so that Kafka keeps its default
 * (retry until {@code delivery.timeout.ms}), which is idempotent and keeps each partition in order, unlike a re-send.
 */
@ApplicationScoped
public class KafkaRetriesOnly implements ClientCustomizer<Map<String, Object>> {

    static final String CHANNEL = "prices";

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        if (!CHANNEL.equals(channel)) {
            return config;
        }
        Map<String, Object> withKafkaRetries = new HashMap<>(config);
        withKafkaRetries.remove(ProducerConfig.RETRIES_CONFIG);
        return withKafkaRetries;
    }
}
