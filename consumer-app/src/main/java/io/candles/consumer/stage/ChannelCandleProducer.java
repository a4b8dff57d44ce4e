package io.candles.consumer.stage;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.candles.consumer.kafka.ChannelProducer;
import io.candles.domain.Candle;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/** Candles go out with the producer of the {@code candles-out} channel. */
@Singleton
public class ChannelCandleProducer extends ChannelProducer<String, Candle> implements CandleProducer {

    @Inject
    ChannelCandleProducer(KafkaClientService clients) {
        super(clients, "candles-out");
    }
}
