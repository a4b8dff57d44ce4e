package io.candles.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static io.candles.domain.CandlePeriod.ONE_MINUTE;
import static io.candles.domain.CandlePeriod.TEN_MINUTES;
import static io.candles.domain.CandlePeriod.TWO_MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CandlePeriodTest {

    @ParameterizedTest(name = "{0} {1} -> [{2}, {3})")
    @CsvSource({
            "1m,  2026-11-21T16:07:00Z,           2026-11-21T16:07:00Z, 2026-11-21T16:08:00Z",
            "1m,  2026-11-21T16:07:59.999Z,       2026-11-21T16:07:00Z, 2026-11-21T16:08:00Z",
            "1m,  2026-11-21T16:07:59.999999999Z, 2026-11-21T16:07:00Z, 2026-11-21T16:08:00Z",
            "1m,  2026-11-21T16:08:00.000Z,       2026-11-21T16:08:00Z, 2026-11-21T16:09:00Z",
            "2m,  2026-11-21T16:07:31Z,           2026-11-21T16:06:00Z, 2026-11-21T16:08:00Z",
            "2m,  2026-11-21T16:08:00Z,           2026-11-21T16:08:00Z, 2026-11-21T16:10:00Z",
            "2m,  2026-11-21T16:09:59.999Z,       2026-11-21T16:08:00Z, 2026-11-21T16:10:00Z",
            "10m, 2026-11-21T16:07:31Z,           2026-11-21T16:00:00Z, 2026-11-21T16:10:00Z",
            "10m, 2026-11-21T16:10:00Z,           2026-11-21T16:10:00Z, 2026-11-21T16:20:00Z",
            "10m, 2026-11-21T16:19:59.999Z,       2026-11-21T16:10:00Z, 2026-11-21T16:20:00Z",
            // before the epoch: floorDiv, not truncation towards zero
            "1m,  1969-12-31T23:59:30Z,           1969-12-31T23:59:00Z, 1970-01-01T00:00:00Z",
            "1m,  1969-12-31T23:59:59.999Z,       1969-12-31T23:59:00Z, 1970-01-01T00:00:00Z",
            "2m,  1969-12-31T23:59:30Z,           1969-12-31T23:58:00Z, 1970-01-01T00:00:00Z",
            "10m, 1969-12-31T23:51:00Z,           1969-12-31T23:50:00Z, 1970-01-01T00:00:00Z",
            "10m, 1969-07-20T20:17:40Z,           1969-07-20T20:10:00Z, 1969-07-20T20:20:00Z",
    })
    void windowContainsTheInstant(String label, Instant t, Instant start, Instant end) {
        CandlePeriod period = CandlePeriod.parse(label);

        assertThat(period.windowStart(t)).isEqualTo(start);
        assertThat(period.windowEnd(t)).isEqualTo(end);
        assertThat(period.windowStartMillis(t.toEpochMilli())).isEqualTo(start.toEpochMilli());
    }

    @Test
    void labelsDurationsAndSources() {
        assertThat(ONE_MINUTE.label()).isEqualTo("1m");
        assertThat(TWO_MINUTES.label()).isEqualTo("2m");
        assertThat(TEN_MINUTES.label()).isEqualTo("10m");
        assertThat(ONE_MINUTE.duration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(TWO_MINUTES.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(TEN_MINUTES.duration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(ONE_MINUTE.source()).isEmpty();
        assertThat(TWO_MINUTES.source()).isEqualTo(Optional.of(ONE_MINUTE));
        assertThat(TEN_MINUTES.source()).isEqualTo(Optional.of(TWO_MINUTES));
    }

    @Test
    void parseReadsEveryLabel() {
        for (CandlePeriod period : CandlePeriod.values()) {
            assertThat(CandlePeriod.parse(period.label())).isSameAs(period);
        }
    }

    @Test
    void parseRejectsUnknownLabels() {
        assertThatThrownBy(() -> CandlePeriod.parse("3m"))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("candle.period must be one of 1m, 2m, 10m, was \"3m\"");
        assertThatThrownBy(() -> CandlePeriod.parse("ONE_MINUTE"))
                .hasMessage("candle.period must be one of 1m, 2m, 10m, was \"ONE_MINUTE\"");
        assertThatThrownBy(() -> CandlePeriod.parse(null))
                .hasMessage("candle.period must be one of 1m, 2m, 10m, was null");
    }
}
