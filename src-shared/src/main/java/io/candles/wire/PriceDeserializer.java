package io.candles.wire;

import io.candles.domain.Price;
import io.candles.domain.InvalidRecordException;
import org.apache.kafka.common.serialization.Deserializer;

/** Kafka deserializer reading {@link PriceJson}; a null value (a tombstone) becomes null. */
public final class PriceDeserializer implements Deserializer<Price> {

    /** @throws InvalidRecordException for a payload that breaks the contract; the message names the field */
    @Override
    public Price deserialize(String topic, byte[] data) {
        return data == null ? null : PriceJson.read(data);
    }
}
