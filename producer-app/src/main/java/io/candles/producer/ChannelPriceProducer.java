package io.candles.producer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.Producer;

import io.candles.domain.Price;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * The producer of the {@code prices} channel, configured, created and closed by the Kafka connector. Prices are
 * sent with it directly rather than through an {@code Emitter}: the per-message reactive pipeline cost five times
 * the throughput of a plain producer (see README, "Performance").
 */
@ApplicationScoped
public class ChannelPriceProducer implements PriceProducer {

    private final KafkaClientService clients;
    private volatile Producer<String, Price> producer;

    @Inject
    ChannelPriceProducer(KafkaClientService clients) {
        this.clients = clients;
    }

    @Override
    public Producer<String, Price> get() {
        Producer<String, Price> current = producer;
        if (current == null) {
            current = clients.<String, Price> getProducer("prices").unwrap();
            producer = current;
        }
        return current;
    }
}
