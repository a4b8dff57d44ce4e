package io.candles.producer;

import org.apache.kafka.clients.producer.Producer;

import io.candles.domain.Price;

/** The Kafka producer that prices are sent with. */
public interface PriceProducer {

    Producer<String, Price> get();
}
