package io.candles.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.candles.domain.CandlePeriod.ONE_MINUTE;
import static io.candles.domain.CandlePeriod.TEN_MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CandleTest {

    private static final Instant T1607 = Instant.parse("2026-11-21T16:07:00Z");

    @Test
    void keepsItsFieldsAndKnowsItsEnd() {
        Candle candle = new Candle("SBER", ONE_MINUTE, 201.5, 213.9, 200.1, 207.6, T1607);

        assertThat(candle.ticker()).isEqualTo("SBER");
        assertThat(candle.period()).isEqualTo(ONE_MINUTE);
        assertThat(candle.open()).isEqualTo(201.5);
        assertThat(candle.high()).isEqualTo(213.9);
        assertThat(candle.low()).isEqualTo(200.1);
        assertThat(candle.close()).isEqualTo(207.6);
        assertThat(candle.ts()).isEqualTo(T1607);
        assertThat(candle.end()).isEqualTo(Instant.parse("2026-11-21T16:08:00Z"));
        assertThat(new Candle("SBER", TEN_MINUTES, 1, 1, 1, 1, Instant.parse("2026-11-21T16:00:00Z")).end())
                .isEqualTo(Instant.parse("2026-11-21T16:10:00Z"));
    }

    @Test
    void allowsAFlatCandle() {
        Candle flat = new Candle("SBER", ONE_MINUTE, 5, 5, 5, 5, T1607);

        assertThat(flat.high()).isEqualTo(flat.low());
    }

    @Test
    void rejectsMissingFields() {
        assertThatThrownBy(() -> new Candle(" ", ONE_MINUTE, 1, 1, 1, 1, T1607))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("candle.ticker must not be blank, was \" \"");
        assertThatThrownBy(() -> new Candle("SBER", null, 1, 1, 1, 1, T1607))
                .hasMessage("candle.period is missing");
        assertThatThrownBy(() -> new Candle("SBER", ONE_MINUTE, 1, 1, 1, 1, null))
                .hasMessage("candle.ts is missing");
    }

    @Test
    void rejectsValuesThatAreNotFiniteNonNegativeNumbers() {
        assertThatThrownBy(() -> new Candle("SBER", ONE_MINUTE, Double.NaN, 1, 1, 1, T1607))
                .hasMessage("candle.open must be a finite number >= 0, was NaN");
        assertThatThrownBy(() -> new Candle("SBER", ONE_MINUTE, 1, Double.POSITIVE_INFINITY, 1, 1, T1607))
                .hasMessage("candle.high must be a finite number >= 0, was Infinity");
        assertThatThrownBy(() -> new Candle("SBER", ONE_MINUTE, 1, 1, -1, 1, T1607))
                .hasMessage("candle.low must be a finite number >= 0, was -1.0");
        assertThatThrownBy(() -> new Candle("SBER", ONE_MINUTE, 1, 1, 1, -2.5, T1607))
                .hasMessage("candle.close must be a finite number >= 0, was -2.5");
    }

    @Test
    void rejectsInconsistentHighAndLow() {
        assertThatThrownBy(() -> new Candle("SBER", ONE_MINUTE, 5, 4, 3, 5, T1607))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("candle.high must be >= max(open, close) = 5.0, was 4.0");
        assertThatThrownBy(() -> new Candle("SBER", ONE_MINUTE, 5, 6, 5.5, 6, T1607))
                .hasMessage("candle.low must be <= min(open, close) = 5.0, was 5.5");
        // high below low: one of the two bounds is always broken
        assertThatThrownBy(() -> new Candle("SBER", ONE_MINUTE, 5, 4, 6, 5, T1607))
                .hasMessageStartingWith("candle.low must be <= min(open, close) = 5.0, was 6.0");
    }

    @Test
    void rejectsTsThatIsNotAWindowStart() {
        assertThatThrownBy(() -> new Candle("SBER", ONE_MINUTE, 1, 1, 1, 1, Instant.parse("2026-11-21T16:07:30Z")))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("candle.ts must be the start of a 1m window (2026-11-21T16:07:00Z),"
                        + " was 2026-11-21T16:07:30Z");
        assertThatThrownBy(() -> new Candle("SBER", TEN_MINUTES, 1, 1, 1, 1, T1607))
                .hasMessage("candle.ts must be the start of a 10m window (2026-11-21T16:00:00Z),"
                        + " was 2026-11-21T16:07:00Z");
    }
}
