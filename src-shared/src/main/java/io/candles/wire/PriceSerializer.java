package io.candles.wire;

import io.candles.domain.Price;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer writing {@link PriceJson}; a null price becomes a null value. */
public final class PriceSerializer implements Serializer<Price> {

    @Override
    public byte[] serialize(String topic, Price price) {
        return price == null ? null : PriceJson.write(price);
    }
}
