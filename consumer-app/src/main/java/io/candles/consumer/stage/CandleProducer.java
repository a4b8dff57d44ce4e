package io.candles.consumer.stage;

import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Producer;

import io.candles.domain.Candle;

/** The Kafka producer that candles are sent with ({@link ChannelCandleProducer}; Kafka's MockProducer in tests). */
public interface CandleProducer extends Supplier<Producer<String, Candle>> {
}
