package io.candles.consumer.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.candles.domain.CandlePeriod;

/** The value of a ticker's record in candles-sink-marks. */
class TickerMarksTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void marksRoundTripAsAJsonObjectInPeriodOrder() {
        TickerMarks marks = new TickerMarks(Map.of(
                CandlePeriod.TEN_MINUTES, Instant.parse("2026-11-21T16:00:00Z"),
                CandlePeriod.ONE_MINUTE, Instant.parse("2026-11-21T16:07:00Z")));

        String value = marks.encode();

        assertThat(value).isEqualTo("{\"1m\":\"2026-11-21T16:07:00Z\",\"10m\":\"2026-11-21T16:00:00Z\"}");
        assertThat(TickerMarks.decode(json, value)).contains(marks);
        assertThat(TickerMarks.decode(json, TickerMarks.NONE.encode())).contains(TickerMarks.NONE);
    }

    @Test
    void aPeriodOfANewerVersionIsSkippedAndAValueItDidNotWriteIsIgnored() {
        assertThat(TickerMarks.decode(json, "{\"5m\":\"2026-11-21T16:05:00Z\",\"1m\":\"2026-11-21T16:07:00Z\"}"))
                .contains(new TickerMarks(Map.of(CandlePeriod.ONE_MINUTE, Instant.parse("2026-11-21T16:07:00Z"))));
        assertThat(TickerMarks.decode(json, null)).isEmpty();
        assertThat(TickerMarks.decode(json, "")).isEmpty();
        assertThat(TickerMarks.decode(json, "hwm1:not json")).isEmpty();
        assertThat(TickerMarks.decode(json, "{\"1m\":\"yesterday\"}")).isEmpty();
        assertThat(TickerMarks.decode(json, "{\"1m\":null}")).isEmpty();
    }

    @Test
    void aTickerIsAheadWhenAnyPeriodIsNewerOrUnknownToTheOther() {
        Instant t = Instant.parse("2026-11-21T16:07:00Z");
        TickerMarks older = new TickerMarks(Map.of(CandlePeriod.ONE_MINUTE, t));
        TickerMarks newer = new TickerMarks(Map.of(CandlePeriod.ONE_MINUTE, t.plusSeconds(60)));
        TickerMarks other = new TickerMarks(Map.of(CandlePeriod.TWO_MINUTES, t));

        assertThat(newer.isAheadOf(older)).isTrue();
        assertThat(older.isAheadOf(newer)).isFalse();
        assertThat(older.isAheadOf(older)).isFalse();
        assertThat(other.isAheadOf(older)).isTrue();
        assertThat(older.max(other).max(newer).newest()).containsOnly(
                Map.entry(CandlePeriod.ONE_MINUTE, t.plusSeconds(60)), Map.entry(CandlePeriod.TWO_MINUTES, t));
        assertThat(TickerMarks.NONE.isAheadOf(older)).isFalse();
    }
}
