package io.candles.consumer.stage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.Producer;

import io.candles.domain.Candle;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * The producer of the {@code candles-out} channel, configured, created and closed by the Kafka connector. Candles
 * are sent with it directly rather than through an {@code Emitter}, whose per-message pipeline cost more than the
 * aggregation (see docs/performance.md).
 */
@ApplicationScoped
public class ChannelCandleProducer implements CandleProducer {

    private final KafkaClientService clients;
    private volatile Producer<String, Candle> producer;

    @Inject
    ChannelCandleProducer(KafkaClientService clients) {
        this.clients = clients;
    }

    @Override
    public Producer<String, Candle> get() {
        Producer<String, Candle> current = producer;
        if (current == null) {
            current = clients.<String, Candle> getProducer("candles-out").unwrap();
            producer = current;
        }
        return current;
    }
}
