package io.candles.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PriceTest {

    private static final Instant TS = Instant.parse("2026-11-21T16:07:31.250Z");

    @Test
    void keepsItsFields() {
        Price price = new Price("SBER", 203.125, TS);

        assertThat(price.ticker()).isEqualTo("SBER");
        assertThat(price.value()).isEqualTo(203.125);
        assertThat(price.ts()).isEqualTo(TS);
        assertThat(new Price("SBER", 0.0, TS).value()).isZero();
    }

    @Test
    void rejectsBlankOrMissingTicker() {
        assertThatThrownBy(() -> new Price("", 1, TS))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("price.ticker must not be blank, was \"\"");
        assertThatThrownBy(() -> new Price("  ", 1, TS)).hasMessage("price.ticker must not be blank, was \"  \"");
        assertThatThrownBy(() -> new Price(null, 1, TS)).hasMessage("price.ticker must not be blank, was null");
    }

    @Test
    void rejectsTickersThatWouldBreakTheCsvLine() {
        assertThatThrownBy(() -> new Price("A,B", 1, TS))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("price.ticker must not contain a comma, a double quote or a control character,"
                        + " was \"A,B\"");
        assertThatThrownBy(() -> new Price("A\nB", 1, TS)).hasMessageEndingWith("was \"A\\nB\"");
    }

    @Test
    void rejectsTickersLongerThan32CharactersOrNotWellFormedUtf16() {
        assertThat(new Price("A".repeat(32), 1, TS).ticker()).hasSize(32);
        assertThat(new Price("\ud83d\ude00X", 1, TS).ticker()).as("a surrogate pair is one character").hasSize(3);
        assertThatThrownBy(() -> new Price("A".repeat(33), 1, TS))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("price.ticker must be at most 32 characters, was \"AAAA");
        assertThatThrownBy(() -> new Price("\ud800X", 1, TS))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("price.ticker must be well-formed UTF-16, has a lone surrogate \\ud800 at 0: \"\\ud800X\"");
        assertThatThrownBy(() -> new Price("X\udc00", 1, TS)).hasMessageContaining("lone surrogate \\udc00 at 1");
        assertThatThrownBy(() -> new Price("X\ud800", 1, TS)).hasMessageContaining("lone surrogate \\ud800 at 1");
    }

    @Test
    void rejectsValuesThatAreNotFiniteNonNegativeNumbers() {
        assertThatThrownBy(() -> new Price("SBER", Double.NaN, TS))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("price.value must be a finite number >= 0, was NaN");
        assertThatThrownBy(() -> new Price("SBER", Double.POSITIVE_INFINITY, TS))
                .hasMessage("price.value must be a finite number >= 0, was Infinity");
        assertThatThrownBy(() -> new Price("SBER", Double.NEGATIVE_INFINITY, TS))
                .hasMessage("price.value must be a finite number >= 0, was -Infinity");
        assertThatThrownBy(() -> new Price("SBER", -0.01, TS))
                .hasMessage("price.value must be a finite number >= 0, was -0.01");
    }

    @Test
    void rejectsMissingTs() {
        assertThatThrownBy(() -> new Price("SBER", 1, null))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("price.ts is missing");
    }

    @Test
    void rejectsATsBeyondEpochMilliseconds() {
        assertThatThrownBy(() -> new Price("SBER", 1, java.time.Instant.parse("+300000000-01-01T00:00:00Z")))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("price.ts is out of range, was +300000000-01-01T00:00:00Z");
    }
}
