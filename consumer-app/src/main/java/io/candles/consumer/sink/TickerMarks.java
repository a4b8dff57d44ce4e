package io.candles.consumer.sink;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;

/**
 * The newest candle start written to the files for one ticker, per period: the value of the ticker's record in
 * {@code candles-sink-marks}, a JSON object, read with Quarkus' {@code ObjectMapper} (a period without a written
 * candle is left out; a label this version does not know is skipped, so an older reader keeps working).
 */
record TickerMarks(Map<CandlePeriod, Instant> newest) {

    static final TickerMarks NONE = new TickerMarks(Map.of());
    private static final CandlePeriod[] PERIODS = CandlePeriod.values();
    private static final TypeReference<Map<String, String>> MARKS = new TypeReference<>() {
    };

    TickerMarks {
        newest = newest.isEmpty() ? Map.of() : Map.copyOf(newest);
    }

    /**
     * The record value: {@code {"1m":"2026-11-21T16:07:00Z","2m":"2026-11-21T16:06:00Z"}}. Written by hand: one is
     * written per ticker and force, on the sink's thread, and Jackson's map serialisation was most of the marks' cost
     * in a profile (docs/performance.md); labels and instants need no escaping. Read with Jackson.
     */
    String encode() {
        StringBuilder json = new StringBuilder(24 * newest.size() + 2).append('{');
        for (CandlePeriod period : PERIODS) {
            Instant ts = newest.get(period);
            if (ts != null) {
                json.append(json.length() > 1 ? "," : "").append('"').append(period.label()).append("\":\"")
                        .append(ts).append('"');
            }
        }
        return json.append('}').toString();
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
