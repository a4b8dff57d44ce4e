package io.candles.consumer.stage;

import org.apache.kafka.clients.producer.Producer;

import io.candles.domain.Candle;

/** The Kafka producer that candles are sent with. */
public interface CandleProducer {

    Producer<String, Candle> get();
}
