package io.candles.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.candles.domain.Price;

/** The comparison of written lines with the expected candles. */
class AuditReportTest {

    private static final String KEY = "1m AAPL 2026-11-21T16:00:00Z";
    private static final String RIGHT = "AAPL,2026-11-21T16:00:00Z,10.000000,12.000000,10.000000,12.000000";
    private static final String PARTIAL = "AAPL,2026-11-21T16:00:00Z,12.000000,12.000000,12.000000,12.000000";

    private final ExpectedCandles expected = new ExpectedCandles(Duration.ofSeconds(10));

    AuditReportTest() {
        expected.add(0, new Price("AAPL", 10, Instant.parse("2026-11-21T16:00:10Z")));
        expected.add(0, new Price("AAPL", 12, Instant.parse("2026-11-21T16:00:50Z")));
        expected.add(0, new Price("AAPL", 11, Instant.parse("2026-11-21T16:01:00Z"))); // closes 16:00
    }

    @Test
    void aKeyWrittenTwiceWithTheRightValuesIsADuplicateOnly() {
        AuditReport report = AuditReport.compare(3, expected, Map.of(KEY, List.of(RIGHT, RIGHT)));

        assertThat(report.duplicated()).containsExactly(KEY + " x2");
        assertThat(report.mismatched()).isEmpty();
        assertThat(report.failed()).isTrue();
    }

    @Test
    void aPartialRepeatWrittenBesideTheRightCandleIsAWrongCandleWhicheverComesFirst() {
        for (List<String> lines : List.of(List.of(RIGHT, PARTIAL), List.of(PARTIAL, RIGHT))) {
            AuditReport report = AuditReport.compare(3, expected, Map.of(KEY, lines));

            assertThat(report.duplicated()).containsExactly(KEY + " x2");
            assertThat(report.mismatched()).singleElement().asString().contains(PARTIAL);
        }
    }

    @Test
    void theRightCandleOnceMatches() {
        AuditReport report = AuditReport.compare(3, expected, Map.of(KEY, List.of(RIGHT)));

        assertThat(report.failed()).isFalse();
        assertThat(report.matching()).isEqualTo(1);
    }
}
