package io.candles.wire;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CandleJsonTest {

    private static final Candle SBER = new Candle("SBER", CandlePeriod.ONE_MINUTE,
            201.182413, 213.934383, 201.182413, 207.613144, Instant.parse("2026-11-21T16:07:00Z"));
    private static final String SBER_JSON = "{\"ticker\":\"SBER\",\"period\":\"1m\",\"open\":201.182413,"
            + "\"high\":213.934383,\"low\":201.182413,\"close\":207.613144,\"ts\":\"2026-11-21T16:07:00.000Z\"}";

    @Test
    void writesTheExactFormat() {
        assertThat(new String(CandleJson.write(SBER), StandardCharsets.UTF_8)).isEqualTo(SBER_JSON);
    }

    @Test
    void roundTripsEveryPeriod() {
        for (CandlePeriod period : CandlePeriod.values()) {
            Candle candle = new Candle("NVDA", period, 310.5, 319.9, 300.01, 303.7,
                    Instant.parse("2026-11-21T16:00:00Z"));

            assertThat(CandleJson.read(CandleJson.write(candle))).isEqualTo(candle);
        }
        assertThat(CandleJson.read(SBER_JSON.getBytes(StandardCharsets.UTF_8))).isEqualTo(SBER);
    }

    @Test
    void readsReorderedAndUnknownFields() {
        String json = """
                {"ts":"2026-11-21T16:07:00Z","close":207.613144,"low":201.182413,"source":{"offset":17},
                 "high":213.934383,"open":201.182413,"period":"1m","ticker":"SBER","tags":["a"]}""";

        assertThat(CandleJson.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(SBER);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "\"ticker\":\" \",\"period\":\"1m\",\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"ts\":\"2026-11-21T16:07:00Z\"    | candle.ticker must not be blank, was \" \"",
            "\"period\":\"1m\",\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"ts\":\"2026-11-21T16:07:00Z\"                     | candle.ticker is missing",
            "\"ticker\":\"SBER\",\"period\":\"3m\",\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"ts\":\"2026-11-21T16:06:00Z\" | candle.period must be one of 1m, 2m, 10m, was \"3m\"",
            "\"ticker\":\"SBER\",\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"ts\":\"2026-11-21T16:06:00Z\"                   | candle.period is missing",
            "\"ticker\":\"SBER\",\"period\":\"1m\",\"open\":NaN,\"high\":1,\"low\":1,\"close\":1,\"ts\":\"2026-11-21T16:07:00Z\" | candle.open must be a finite number >= 0, was NaN",
            "\"ticker\":\"SBER\",\"period\":\"1m\",\"open\":1,\"high\":-Infinity,\"low\":1,\"close\":1,\"ts\":\"2026-11-21T16:07:00Z\" | candle.high must be a finite number >= 0, was -Infinity",
            "\"ticker\":\"SBER\",\"period\":\"1m\",\"open\":1,\"high\":1,\"low\":-1,\"close\":1,\"ts\":\"2026-11-21T16:07:00Z\" | candle.low must be a finite number >= 0, was -1.0",
            "\"ticker\":\"SBER\",\"period\":\"1m\",\"open\":1,\"high\":1,\"low\":1,\"close\":\"x\",\"ts\":\"2026-11-21T16:07:00Z\" | candle.close must be a number, was \"x\"",
            "\"ticker\":\"SBER\",\"period\":\"1m\",\"open\":1,\"high\":1,\"low\":1,\"ts\":\"2026-11-21T16:07:00Z\"               | candle.close is missing",
            "\"ticker\":\"SBER\",\"period\":\"1m\",\"open\":5,\"high\":4,\"low\":3,\"close\":5,\"ts\":\"2026-11-21T16:07:00Z\" | candle.high must be >= max(open, close) = 5.0, was 4.0",
            "\"ticker\":\"SBER\",\"period\":\"1m\",\"open\":1,\"high\":1,\"low\":1,\"close\":1                                  | candle.ts is missing",
            "\"ticker\":\"SBER\",\"period\":\"1m\",\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"ts\":\"16:07\"                 | candle.ts is not an ISO-8601 instant, was \"16:07\"",
            "\"ticker\":\"SBER\",\"period\":\"2m\",\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"ts\":\"2026-11-21T16:07:00Z\" | candle.ts must be the start of a 2m window (2026-11-21T16:06:00Z), was 2026-11-21T16:07:00Z",
    })
    void rejectsBrokenFieldsNamingFieldAndValue(String fields, String message) {
        String json = "{" + fields + "}";

        assertThatThrownBy(() -> CandleJson.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsInputThatIsNotJson() {
        assertThatThrownBy(() -> CandleJson.read("SBER,2026-11-21T16:07:00Z,1,1,1,1".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("not a JSON object: \"SBER,2026-11-21T16:07:00Z,1,1,1,1\" (");
    }
}
