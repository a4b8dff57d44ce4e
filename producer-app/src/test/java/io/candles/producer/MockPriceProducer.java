package io.candles.producer;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.candles.domain.Price;
import io.candles.wire.PriceSerializer;

/** Kafka's own test producer, acknowledging every record at once: for tests of what is sent, without a broker. */
@Alternative
@ApplicationScoped
public class MockPriceProducer implements PriceProducer {

    private final MockProducer<String, Price> producer = new MockProducer<>(true, null, new StringSerializer(),
            new PriceSerializer());

    @Override
    public Producer<String, Price> get() {
        return producer;
    }

    /** Every record sent so far, in order. */
    public List<ProducerRecord<String, Price>> sent() {
        return producer.history();
    }
}
