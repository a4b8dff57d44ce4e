package io.candles.consumer.sink;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;

/**
 * The newest candle start written to the files for one ticker, per period: the value of the ticker's record in
 * {@code candles-sink-marks}, a JSON object written with Quarkus' {@code ObjectMapper} (a period without a written
 * candle is left out; a label this version does not know is skipped, so an older reader keeps working).
 */
record TickerMarks(Map<CandlePeriod, Instant> newest) {

    static final TickerMarks NONE = new TickerMarks(Map.of());
    private static final TypeReference<Map<String, String>> MARKS = new TypeReference<>() {
    };

    TickerMarks {
        newest = newest.isEmpty() ? Map.of() : Map.copyOf(newest);
    }

    /** The record value: {@code {"1m":"2026-11-21T16:07:00Z","2m":"2026-11-21T16:06:00Z"}}. */
    String encode(ObjectMapper json) {
        Map<String, String> value = new LinkedHashMap<>();
        for (CandlePeriod period : CandlePeriod.values()) {
            Instant ts = newest.get(period);
            if (ts != null) {
                value.put(period.label(), ts.toString());
            }
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: a map of strings", e);
        }
    }

    /** Empty for a value this codec did not write (its record is then ignored, as if absent). */
    static Optional<TickerMarks> decode(ObjectMapper json, String value) {
        if (value == null) {
            return Optional.empty();
        }
        Map<CandlePeriod, Instant> newest = new EnumMap<>(CandlePeriod.class);
        try {
            for (Map.Entry<String, String> mark : json.readValue(value, MARKS).entrySet()) {
                try {
                    newest.put(CandlePeriod.parse(mark.getKey()), Instant.parse(mark.getValue()));
                } catch (InvalidRecordException e) {
                    // a period of a newer version: not ours to judge
                }
            }
        } catch (JsonProcessingException | DateTimeParseException | NullPointerException e) {
            return Optional.empty();
        }
        return Optional.of(new TickerMarks(newest));
    }

    /** Whether any period's mark here is newer than in {@code other}. */
    boolean isAheadOf(TickerMarks other) {
        return newest.entrySet().stream().anyMatch(mark -> {
            Instant theirs = other.newest.get(mark.getKey());
            return theirs == null || mark.getValue().isAfter(theirs);
        });
    }

    /** The newer mark of each period. */
    TickerMarks max(TickerMarks other) {
        Map<CandlePeriod, Instant> merged = new EnumMap<>(CandlePeriod.class);
        merged.putAll(newest);
        other.newest.forEach((period, ts) -> merged.merge(period, ts, WrittenMarks::later));
        return new TickerMarks(merged);
    }
}
