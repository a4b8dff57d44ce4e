package io.candles.consumer.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.candles.domain.InvalidRecordException;
import io.candles.wire.CandleJson;
import io.candles.wire.PriceJson;

class DeadLetterReasonTest {

    @Test
    void theReasonIsTheFieldAtFaultOrOneOfTwoNames() {
        assertThat(reasonOf(() -> price("{\"ticker\":\"SBER\",\"value\":-1,\"ts\":\"2026-11-21T16:00:00Z\"}")))
                .isEqualTo("price.value");
        assertThat(reasonOf(() -> price("{\"value\":1,\"ts\":\"2026-11-21T16:00:00Z\"}")))
                .isEqualTo("price.ticker");
        assertThat(reasonOf(() -> candle("{\"ticker\":\"SBER\",\"period\":\"1m\",\"open\":2,\"high\":1,"
                + "\"low\":1,\"close\":1,\"ts\":\"2026-11-21T16:00:00Z\"}"))).isEqualTo("candle.high");
        assertThat(reasonOf(() -> price("not json"))).isEqualTo(DeadLetterReason.UNREADABLE);
        assertThat(DeadLetterReason.of(new InvalidRecordException("ts too far ahead: " + Instant.MAX)))
                .isEqualTo(DeadLetterReason.TOO_FAR_AHEAD);
    }

    private static void price(String json) {
        PriceJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void candle(String json) {
        CandleJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String reasonOf(Runnable read) {
        try {
            read.run();
        } catch (InvalidRecordException e) {
            return DeadLetterReason.of(e);
        }
        throw new AssertionError("no InvalidRecordException");
    }
}
