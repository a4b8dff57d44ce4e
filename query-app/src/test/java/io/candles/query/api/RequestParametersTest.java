package io.candles.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.candles.domain.CandlePeriod;

class RequestParametersTest {

    @Test
    void readsGoodValues() {
        assertThat(RequestParameters.period("10m")).isEqualTo(CandlePeriod.TEN_MINUTES);
        assertThat(RequestParameters.instant("from", "2026-11-21T16:07:00+03:00"))
                .isEqualTo(Instant.parse("2026-11-21T13:07:00Z"));
        assertThat(RequestParameters.instant("from", null)).isNull();
        assertThat(RequestParameters.limit(null)).isEqualTo(1000);
        assertThat(RequestParameters.limit("10000")).isEqualTo(10_000);
    }

    @Test
    void everyRefusalNamesTheParameterAndTheValue() {
        assertRefused(() -> RequestParameters.period("5m"), "period", "5m",
                "period must be one of 1m, 2m, 10m, was \"5m\"");
        assertRefused(() -> RequestParameters.period(null), "period", null, "period is required: one of 1m, 2m, 10m");
        assertRefused(() -> RequestParameters.ticker(" "), "ticker", " ", "ticker is required, e.g. ticker=SBER");
        assertRefused(() -> RequestParameters.instant("to", "yesterday"), "to", "yesterday",
                "to must be an ISO-8601 instant such as 2026-11-21T16:07:00Z, was \"yesterday\"");
        assertRefused(() -> RequestParameters.limit("0"), "limit", "0", "limit must be from 1 to 10000, was 0");
        assertRefused(() -> RequestParameters.limit("10001"), "limit", "10001",
                "limit must be from 1 to 10000, was 10001");
        assertRefused(() -> RequestParameters.limit("ten"), "limit", "ten",
                "limit must be a whole number from 1 to 10000, was \"ten\"");
        assertRefused(() -> RequestParameters.requireOrdered(Instant.parse("2026-11-21T17:00:00Z"),
                Instant.parse("2026-11-21T16:00:00Z")), "from", "2026-11-21T17:00:00Z",
                "from (2026-11-21T17:00:00Z) is after to (2026-11-21T16:00:00Z)");
    }

    @Test
    void aHugeValueIsNotEchoedWhole() {
        String huge = "x".repeat(100_000);
        assertThatThrownBy(() -> RequestParameters.period(huge))
                .isInstanceOfSatisfying(BadParameterException.class, e -> {
                    assertThat(e.value()).hasSize(67).endsWith("...");
                    assertThat(e.getMessage()).hasSizeLessThan(200);
                });
    }

    private static void assertRefused(Runnable call, String parameter, String value, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(BadParameterException.class, e -> {
            assertThat(e.parameter()).isEqualTo(parameter);
            assertThat(e.value()).isEqualTo(value);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
