package io.candles.consumer.stage;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.candles.domain.Candle;
import io.candles.wire.CandleSerializer;

/** Kafka's own test producer, accepting every candle at once: for channel tests without a broker. */
@Alternative
@ApplicationScoped
public class MockCandleProducer implements CandleProducer {

    private final MockProducer<String, Candle> producer = new MockProducer<>(true, null, new StringSerializer(),
            new CandleSerializer());

    @Override
    public Producer<String, Candle> get() {
        return producer;
    }

    /** Every candle sent so far, in order. */
    public List<Candle> sent() {
        return producer.history().stream().map(ProducerRecord::value).toList();
    }
}
