package io.candles.wire;

import io.candles.domain.Candle;
import io.candles.domain.InvalidRecordException;
import org.apache.kafka.common.serialization.Deserializer;

/** Kafka deserializer reading {@link CandleJson}; a null value (a tombstone) becomes null. */
public final class CandleDeserializer implements Deserializer<Candle> {

    /** @throws InvalidRecordException for a payload that breaks the contract; the message names the field */
    @Override
    public Candle deserialize(String topic, byte[] data) {
        return data == null ? null : CandleJson.read(data);
    }
}
