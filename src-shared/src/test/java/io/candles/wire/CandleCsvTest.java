package io.candles.wire;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Random;

import static io.candles.domain.CandlePeriod.ONE_MINUTE;
import static io.candles.domain.CandlePeriod.TEN_MINUTES;
import static io.candles.domain.CandlePeriod.TWO_MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CandleCsvTest {

    private static final Candle SBER = new Candle("SBER", ONE_MINUTE,
            201.182413, 213.934383, 201.182413, 207.613144, Instant.parse("2026-11-21T16:07:00Z"));

    @Test
    void writesTheClassicLine() {
        assertThat(CandleCsv.line(SBER)).isEqualTo("SBER,2026-11-21T16:07:00Z,201.182413,213.934383,201.182413,207.613144");
        assertThat(CandleCsv.line(new Candle("AAPL", TEN_MINUTES, 100, 120.5, 99.25, 101,
                Instant.parse("1969-12-31T23:50:00Z"))))
                .isEqualTo("AAPL,1969-12-31T23:50:00Z,100.000000,120.500000,99.250000,101.000000");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0,                     0.000000",
            "203,                   203.000000",
            "0.0000005,             0.000001",
            "0.00000049,            0.000000",
            "0.0000015,             0.000002",
            "201.1824125,           201.182413",
            "201.1824124999,        201.182412",
            "0.3000000000000000444, 0.300000",
            "99.9999995,            100.000000",
            "1.0000005,             1.000001",
            "123.456,               123.456000",
            "99999999.9999994,      99999999.999999",
            // the double prints as 1.2345678901234567E11: beyond 1e8 the BigDecimal path takes over
            "123456789012.345678,   123456789012.345670",
            "1e20,                  100000000000000000000.000000",
    })
    void roundsHalfUpToSixDecimals(double value, String expected) {
        StringBuilder out = new StringBuilder();

        CandleCsv.appendValue(out, value);

        assertThat(out).hasToString(expected);
    }

    @Test
    void fastRoundingAgreesWithBigDecimal() {
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            double value = switch (i % 4) {
                case 0 -> random.nextDouble() * 1_000;
                case 1 -> Math.pow(10, random.nextInt(16) - 7) * random.nextDouble();
                // exact ties in decimal: the hardest case for a binary fast path
                case 2 -> Double.parseDouble(random.nextInt(100_000) + "." + String.format("%06d", random.nextInt(1_000_000)) + "5");
                default -> random.nextInt(1_000_000) / 1e6;
            };
            StringBuilder out = new StringBuilder();

            CandleCsv.appendValue(out, value);

            assertThat(out.toString()).as("value %s", value)
                    .isEqualTo(BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP).toPlainString());
        }
    }

    @Test
    void parseReadsWhatLineWrote() {
        for (CandlePeriod period : CandlePeriod.values()) {
            Candle candle = new Candle("NVDA", period, 310.5, 319.999999, 300.000001, 303.7,
                    Instant.parse("2026-11-21T16:00:00Z"));

            assertThat(CandleCsv.parse(CandleCsv.line(candle), period)).isEqualTo(candle);
        }
        assertThat(CandleCsv.parse("SBER,2026-11-21T16:07:00Z,201.182413,213.934383,201.182413,207.613144", ONE_MINUTE))
                .isEqualTo(SBER);
    }

    @Test
    void parseRoundsNothingItself() {
        Candle candle = new Candle("SBER", ONE_MINUTE, 1.0000004, 2.0000006, 1.0000004, 1.5,
                Instant.parse("2026-11-21T16:07:00Z"));

        Candle reread = CandleCsv.parse(CandleCsv.line(candle), ONE_MINUTE);

        assertThat(reread.open()).isEqualTo(1.0);
        assertThat(reread.high()).isEqualTo(2.000001);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SBER,2026-11-21T16:07:00Z,1,1,1          | expected 6 fields (ticker,ts,open,high,low,close), found 5",
            "SBER,2026-11-21T16:07:00Z,1,1,1,1,1      | expected 6 fields (ticker,ts,open,high,low,close), found 7",
            "SBER,2026-11-21T16:07:00Z,1,1,1,abc      | candle.close must be a number, was \"abc\"",
            "SBER,2026-11-21T16:07:00Z,NaN,1,1,1      | candle.open must be a finite number >= 0, was NaN",
            "SBER,yesterday,1,1,1,1                   | candle.ts is not an ISO-8601 instant, was \"yesterday\"",
            "SBER,2026-11-21T16:07:30Z,1,1,1,1        | candle.ts must be the start of a 1m window (2026-11-21T16:07:00Z), was 2026-11-21T16:07:30Z",
            "SBER,2026-11-21T16:07:00Z,5,4,3,5        | candle.high must be >= max(open, close) = 5.0, was 4.0",
            ",2026-11-21T16:07:00Z,1,1,1,1            | candle.ticker must not be blank, was \"\"",
    })
    void parseRejectsABadLineNamingItAndTheReason(String line, String reason) {
        assertThatThrownBy(() -> CandleCsv.parse(line, ONE_MINUTE))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("invalid 1m candle line \"" + line.replace("\"", "\\\"") + "\": " + reason);
    }

    @Test
    void parseTakesThePeriodFromTheFile() {
        String line = "SBER,2026-11-21T16:07:00Z,1,1,1,1";

        assertThat(CandleCsv.parse(line, ONE_MINUTE).period()).isEqualTo(ONE_MINUTE);
        assertThatThrownBy(() -> CandleCsv.parse(line, TWO_MINUTES))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("invalid 2m candle line \"SBER,2026-11-21T16:07:00Z,1,1,1,1\": candle.ts must");
    }

    @Test
    void fileNamePerPeriod() {
        assertThat(CandleCsv.fileName(ONE_MINUTE)).isEqualTo("candles_1m.csv");
        assertThat(CandleCsv.fileName(TWO_MINUTES)).isEqualTo("candles_2m.csv");
        assertThat(CandleCsv.fileName(TEN_MINUTES)).isEqualTo("candles_10m.csv");
    }
}
