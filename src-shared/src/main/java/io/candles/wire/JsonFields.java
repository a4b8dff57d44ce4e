package io.candles.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.candles.domain.InvalidRecordException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reading and writing of the fields that the price and candle JSON formats share. */
final class JsonFields {

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

    private JsonFields() {
    }

    /** {@code ts} at millisecond precision (truncated), e.g. {@code 2026-11-21T16:07:31.250Z}. */
    static String formatTs(Instant ts) {
        return IsoInstants.formatMillis(ts);
    }

    /** The current value, which must be a string. */
    static String readString(JsonParser parser, String field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        throw new InvalidRecordException(field + " must be a string, was " + describe(parser));
    }

    static double readNumber(JsonParser parser, String field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getDoubleValue();
        }
        throw new InvalidRecordException(field + " must be a number, was " + describe(parser));
    }

    static Instant readTs(JsonParser parser, String field) throws IOException {
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
    static boolean nextField(JsonParser parser) throws IOException {
        while (parser.nextToken() != JsonToken.END_OBJECT) {
            // Anything but a field name here is a syntax error, which the parser reports by itself.
            if (parser.nextToken() != JsonToken.VALUE_NULL) {
                return true;
            }
        }
        return false;
    }

    /** Moves to the start of the top-level object, or fails if the input is something else. */
    static void startObject(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new NotAnObject();
        }
    }

    /** Fails if anything follows the top-level object. */
    static void endOfInput(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new NotAnObject();
        }
    }

    /**
     * The error for input that did not parse as one JSON object; {@code input} is needed only here, so callers
     * build it from the raw bytes only when reading failed.
     */
    static InvalidRecordException notAnObject(String input, IOException cause) {
        String message = "not a JSON object: " + InvalidRecordException.quote(input);
        if (cause instanceof JsonProcessingException syntaxError) {
            return new InvalidRecordException(message + " (" + syntaxError.getOriginalMessage() + ")", cause);
        }
        return new InvalidRecordException(message);
    }

    /** The start of a payload for an error message; decodes only what the message can show. */
    static String excerpt(byte[] json) {
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
