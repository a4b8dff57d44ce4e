package io.candles.wire;

import io.candles.domain.InvalidRecordException;
import io.candles.domain.Price;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PriceJsonTest {

    private static final Price SBER = new Price("SBER", 203.125, Instant.parse("2026-11-21T16:07:31.250Z"));
    private static final String SBER_JSON = "{\"ticker\":\"SBER\",\"value\":203.125,\"ts\":\"2026-11-21T16:07:31.250Z\"}";

    @Test
    void writesTheExactFormat() {
        assertThat(new String(PriceJson.write(SBER), StandardCharsets.UTF_8)).isEqualTo(SBER_JSON);
    }

    @Test
    void writesTsWithExactlyThreeFractionalDigits() {
        assertThat(json(new Price("A", 1, Instant.parse("2026-11-21T16:07:00Z"))))
                .isEqualTo("{\"ticker\":\"A\",\"value\":1.0,\"ts\":\"2026-11-21T16:07:00.000Z\"}");
        assertThat(json(new Price("A", 1, Instant.parse("2026-11-21T16:07:00.123456789Z"))))
                .endsWith("\"ts\":\"2026-11-21T16:07:00.123Z\"}");
        assertThat(json(new Price("A", 1, Instant.parse("1969-12-31T23:59:59.999Z"))))
                .endsWith("\"ts\":\"1969-12-31T23:59:59.999Z\"}");
    }

    @Test
    void roundTrips() {
        assertThat(PriceJson.read(PriceJson.write(SBER))).isEqualTo(SBER);
        assertThat(PriceJson.read(SBER_JSON.getBytes(StandardCharsets.UTF_8))).isEqualTo(SBER);
        Price unicode = new Price("Ünï cødé\\path/", 0.1 + 0.2, Instant.parse("2026-01-01T00:00:00.001Z"));
        assertThat(PriceJson.read(PriceJson.write(unicode))).isEqualTo(unicode);
    }

    @Test
    void readsReorderedFieldsUnknownFieldsAndAnyIsoInstant() {
        String json = """
                {"source": {"nested": [1, 2, {"x": null}]}, "ts": "2026-11-21T19:07:31.25+03:00",
                 "extra": true, "value": 203.125, "ticker": "SBER", "more": [] }""";

        assertThat(PriceJson.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(SBER);
        assertThat(PriceJson.read("{\"ticker\":\"SBER\",\"value\":203,\"ts\":\"2026-11-21T16:07:31Z\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Price("SBER", 203, Instant.parse("2026-11-21T16:07:31Z")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "{\"ticker\":\"\",\"value\":1,\"ts\":\"2026-11-21T16:07:31Z\"}         | price.ticker must not be blank, was \"\"",
            "{\"ticker\":\"SBER\",\"value\":NaN,\"ts\":\"2026-11-21T16:07:31Z\"}   | price.value must be a finite number >= 0, was NaN",
            "{\"ticker\":\"SBER\",\"value\":Infinity,\"ts\":\"2026-11-21T16:07:31Z\"} | price.value must be a finite number >= 0, was Infinity",
            "{\"ticker\":\"SBER\",\"value\":1e400,\"ts\":\"2026-11-21T16:07:31Z\"} | price.value must be a finite number >= 0, was Infinity",
            "{\"ticker\":\"SBER\",\"value\":-5.5,\"ts\":\"2026-11-21T16:07:31Z\"}  | price.value must be a finite number >= 0, was -5.5",
            "{\"ticker\":\"SBER\",\"value\":\"abc\",\"ts\":\"2026-11-21T16:07:31Z\"} | price.value must be a number, was \"abc\"",
            "{\"ticker\":\"SBER\",\"value\":[1],\"ts\":\"2026-11-21T16:07:31Z\"}   | price.value must be a number, was an array",
            "{\"ticker\":42,\"value\":1,\"ts\":\"2026-11-21T16:07:31Z\"}           | price.ticker must be a string, was 42",
            "{\"value\":1,\"ts\":\"2026-11-21T16:07:31Z\"}                         | price.ticker is missing",
            "{\"ticker\":\"SBER\",\"ts\":\"2026-11-21T16:07:31Z\"}                 | price.value is missing",
            "{\"ticker\":\"SBER\",\"value\":null,\"ts\":\"2026-11-21T16:07:31Z\"}  | price.value is missing",
            "{\"ticker\":\"SBER\",\"value\":1}                                     | price.ts is missing",
            "{\"ticker\":\"SBER\",\"value\":1,\"ts\":\"yesterday\"}                | price.ts is not an ISO-8601 instant, was \"yesterday\"",
            "{\"ticker\":\"SBER\",\"value\":1,\"ts\":1763741251000}                 | price.ts must be a string, was 1763741251000",
            "{\"ticker\":\"SBER\",\"value\":1,\"ts\":{}}                           | price.ts must be a string, was an object",
    })
    void rejectsBrokenFieldsNamingFieldAndValue(String json, String message) {
        assertThatThrownBy(() -> PriceJson.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "hello                         | not a JSON object: \"hello\" (",
            "''                            | not a JSON object: \"\"",
            "[1,2]                         | not a JSON object: \"[1,2]\"",
            "42                            | not a JSON object: \"42\"",
            "{\"ticker\":\"SBER\"           | not a JSON object: \"{\\\"ticker\\\":\\\"SBER\\\"\" (",
            "{\"ticker\":\"SBER\",\"value\":1,\"ts\":\"2026-11-21T16:07:31Z\"} {} | not a JSON object: ",
    })
    void rejectsInputThatIsNotOneJsonObject(String input, String messageStart) {
        assertThatThrownBy(() -> PriceJson.read(input.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith(messageStart);
    }

    @Test
    void quotesOnlyTheStartOfALongBadPayload() {
        String garbage = "x".repeat(10_000);

        assertThatThrownBy(() -> PriceJson.read(garbage.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("not a JSON object: \"" + "x".repeat(100) + "\"... (");
    }

    private static String json(Price price) {
        return new String(PriceJson.write(price), StandardCharsets.UTF_8);
    }
}
