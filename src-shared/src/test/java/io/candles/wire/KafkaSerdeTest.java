package io.candles.wire;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaSerdeTest {

    private static final Candle CANDLE = new Candle("SBER", CandlePeriod.TWO_MINUTES, 1, 2, 0.5, 1.5,
            Instant.parse("2026-11-21T16:06:00Z"));

    @Test
    void candleSerdeRoundTripsAndWritesCandleJson() {
        try (CandleSerializer serializer = new CandleSerializer(); CandleDeserializer deserializer = new CandleDeserializer()) {
            byte[] bytes = serializer.serialize(Topics.CANDLES, CANDLE);

            assertThat(bytes).isEqualTo(CandleJson.write(CANDLE));
            assertThat(deserializer.deserialize(Topics.CANDLES, bytes)).isEqualTo(CANDLE);
        }
    }

    @Test
    void nullStaysNull() {
        assertThat(new CandleSerializer().serialize(Topics.CANDLES, null)).isNull();
        assertThat(new CandleDeserializer().deserialize(Topics.CANDLES, null)).isNull();
    }

    @Test
    void aBadPayloadFailsWithTheReason() {
        byte[] bad = "{\"ticker\":\"SBER\",\"value\":-1,\"ts\":\"2026-11-21T16:07:31Z\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new CandleDeserializer().deserialize(Topics.CANDLES, bad))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("candle.period is missing");
    }

    @Test
    void topicNames() {
        assertThat(Topics.PRICES).isEqualTo("prices");
        assertThat(Topics.CANDLES).isEqualTo("candles");
        assertThat(Topics.DEAD_LETTER).isEqualTo("candles-dead-letter");
    }
}
