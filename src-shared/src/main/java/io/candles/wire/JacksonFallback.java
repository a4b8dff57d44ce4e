package io.candles.wire;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;
import io.candles.domain.Price;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The JSON of prices and candles with Jackson's streaming API: what {@link PriceJson} and {@link CandleJson} fall back
 * to for anything but the compact shape they read and write themselves ({@link CompactJson}). It reads any JSON within
 * Jackson's limits and names the field at fault; it writes a ticker that needs escaping.
 *
 * <p>Why a factory of its own rather than Quarkus' {@code ObjectMapper}: the format is the wire contract between the
 * apps and must not change with one app's Jackson settings ({@code quarkus.jackson.*}, modules an extension
 * registers); the Kafka (de)serializers that use it are instantiated by Kafka, by class name, outside CDI; and the
 * streaming API needs no reflection, so native images need no registration for it. Package-private: callers use
 * {@link PriceJson} and {@link CandleJson}; {@code CompactJsonTest} checks that both paths agree.
 */
final class JacksonFallback {

    private static final String[] CANDLE_VALUES = {"open", "high", "low", "close"};

    /**
     * Thread-safe once built. NaN and Infinity are read as numbers so that the record's own validation rejects
     * them with a message naming the field, rather than a bare syntax error. Doubles are read and written like
     * {@link CompactJson} does, so both paths give the same bytes and values.
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private JacksonFallback() {
    }

    static byte[] write(Price price) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(80);
        try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("ticker", price.ticker());
            json.writeNumberField("value", price.value());
            json.writeStringField("ts", IsoInstants.formatMillis(price.ts()));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return out.toByteArray();
    }

    static byte[] write(Candle candle) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("ticker", candle.ticker());
            json.writeStringField("period", candle.period().label());
            json.writeNumberField("open", candle.open());
            json.writeNumberField("high", candle.high());
            json.writeNumberField("low", candle.low());
            json.writeNumberField("close", candle.close());
            json.writeStringField("ts", IsoInstants.formatMillis(candle.ts()));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return out.toByteArray();
    }

    /** See {@link PriceJson#read}. */
    static Price readPrice(byte[] json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            startObject(parser);
            String ticker = null;
            double value = 0;
            boolean hasValue = false;
            Instant ts = null;
            while (nextField(parser)) {
                switch (parser.currentName()) {
                    case "ticker" -> ticker = readString(parser, "price.ticker");
                    case "value" -> {
                        value = readNumber(parser, "price.value");
                        hasValue = true;
                    }
                    case "ts" -> ts = readTs(parser, "price.ts");
                    default -> parser.skipChildren();
                }
            }
            endOfInput(parser);
            if (ticker == null) {
                throw new InvalidRecordException("price.ticker is missing");
            }
            if (!hasValue) {
                throw new InvalidRecordException("price.value is missing");
            }
            return new Price(ticker, value, ts);
        } catch (IOException e) {
            throw notAnObject(excerpt(json), e);
        }
    }

    /** See {@link CandleJson#read}. */
    static Candle readCandle(byte[] json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            startObject(parser);
            String ticker = null;
            CandlePeriod period = null;
            // open, high, low, close, in the order of CANDLE_VALUES
            double[] values = new double[4];
            boolean[] present = new boolean[4];
            Instant ts = null;
            while (nextField(parser)) {
                switch (parser.currentName()) {
                    case "ticker" -> ticker = readString(parser, "candle.ticker");
                    case "period" -> period = CandlePeriod.parse(readString(parser, "candle.period"));
                    case "open" -> readCandleValue(parser, 0, values, present);
                    case "high" -> readCandleValue(parser, 1, values, present);
                    case "low" -> readCandleValue(parser, 2, values, present);
                    case "close" -> readCandleValue(parser, 3, values, present);
                    case "ts" -> ts = readTs(parser, "candle.ts");
                    default -> parser.skipChildren();
                }
            }
            endOfInput(parser);
            if (ticker == null) {
                throw new InvalidRecordException("candle.ticker is missing");
            }
            if (period == null) {
                throw new InvalidRecordException("candle.period is missing");
            }
            for (int i = 0; i < CANDLE_VALUES.length; i++) {
                if (!present[i]) {
                    throw new InvalidRecordException("candle." + CANDLE_VALUES[i] + " is missing");
                }
            }
            return new Candle(ticker, period, values[0], values[1], values[2], values[3], ts);
        } catch (IOException e) {
            throw notAnObject(excerpt(json), e);
        }
    }

    private static void readCandleValue(JsonParser parser, int index, double[] values, boolean[] present)
            throws IOException {
        values[index] = readNumber(parser, "candle." + CANDLE_VALUES[index]);
        present[index] = true;
    }

    /** The current value, which must be a string. */
    private static String readString(JsonParser parser, String field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        throw new InvalidRecordException(field + " must be a string, was " + describe(parser));
    }

    private static double readNumber(JsonParser parser, String field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getDoubleValue();
        }
        throw new InvalidRecordException(field + " must be a number, was " + describe(parser));
    }

    private static Instant readTs(JsonParser parser, String field) throws IOException {
        String text = readString(parser, field);
        try {
            return IsoInstants.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException(
                    field + " is not an ISO-8601 instant, was " + InvalidRecordException.quote(text), e);
        }
    }

    /**
     * Moves to the next field of the object that has a non-null value, onto that value; false at the end of
     * the object. A null value counts as a missing field.
     */
    private static boolean nextField(JsonParser parser) throws IOException {
        while (parser.nextToken() != JsonToken.END_OBJECT) {
            // Anything but a field name here is a syntax error, which the parser reports by itself.
            if (parser.nextToken() != JsonToken.VALUE_NULL) {
                return true;
            }
        }
        return false;
    }

    /** Moves to the start of the top-level object, or fails if the input is something else. */
    private static void startObject(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new NotAnObject();
        }
    }

    /** Fails if anything follows the top-level object. */
    private static void endOfInput(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new NotAnObject();
        }
    }

    /**
     * The error for input that did not parse as one JSON object; {@code input} is needed only here, so callers
     * build it from the raw bytes only when reading failed.
     */
    private static InvalidRecordException notAnObject(String input, IOException cause) {
        String message = "not a JSON object: " + InvalidRecordException.quote(input);
        if (cause instanceof JsonProcessingException syntaxError) {
            return new InvalidRecordException(message + " (" + syntaxError.getOriginalMessage() + ")", cause);
        }
        return new InvalidRecordException(message);
    }

    /** The start of a payload for an error message; decodes only what the message can show. */
    private static String excerpt(byte[] json) {
        return new String(json, 0, Math.min(json.length, 400), StandardCharsets.UTF_8);
    }

    /** Valid JSON that is not exactly one object, such as an array, a number or two objects. */
    private static final class NotAnObject extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static String describe(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> InvalidRecordException.quote(parser.getText());
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> parser.getText();
        };
    }
}
