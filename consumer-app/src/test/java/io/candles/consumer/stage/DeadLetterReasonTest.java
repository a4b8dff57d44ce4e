package io.candles.consumer.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.candles.domain.InvalidRecordException;
import io.candles.wire.CandleJson;
import io.candles.wire.PriceJson;

class DeadLetterReasonTest {

    @Test
    void theReasonIsTheFieldAtFaultOrOneOfTwoNames() {
        assertThat(reasonOf(() -> PriceJson.read("{\"ticker\":\"SBER\",\"value\":-1,\"ts\":\"2026-11-21T16:00:00Z\"}")))
                .isEqualTo("price.value");
        assertThat(reasonOf(() -> PriceJson.read("{\"value\":1,\"ts\":\"2026-11-21T16:00:00Z\"}")))
                .isEqualTo("price.ticker");
        assertThat(reasonOf(() -> CandleJson.read("{\"ticker\":\"SBER\",\"period\":\"1m\",\"open\":2,\"high\":1,"
                + "\"low\":1,\"close\":1,\"ts\":\"2026-11-21T16:00:00Z\"}"))).isEqualTo("candle.high");
        assertThat(reasonOf(() -> PriceJson.read("not json"))).isEqualTo(DeadLetterReason.UNREADABLE);
        assertThat(DeadLetterReason.of(new InvalidRecordException("ts too far ahead: " + Instant.MAX)))
                .isEqualTo(DeadLetterReason.TOO_FAR_AHEAD);
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
