package io.candles.wire;

import io.candles.domain.Candle;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer writing {@link CandleJson}; a null candle becomes a null value. */
public final class CandleSerializer implements Serializer<Candle> {

    @Override
    public byte[] serialize(String topic, Candle candle) {
        return candle == null ? null : CandleJson.write(candle);
    }
}
