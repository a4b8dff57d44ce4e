package io.candles.query.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;
import io.candles.domain.Series;
import io.candles.wire.IsoInstants;

/**
 * Reads the API's query parameters from their raw text, so that a bad value is refused with a message naming the
 * parameter (a typed JAX-RS parameter that does not convert gives a bare 404 instead).
 */
public final class RequestParameters {

    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    /** The latest instant a query bound can hold here ({@code to} when none is given). */
    static final Instant END_OF_TIME = Instant.parse("9999-12-31T23:59:59.999Z");
    private static final int MAX_ECHO = 64;

    private RequestParameters() {
    }

    /** The series named by a ticker and a period parameter. */
    public static Series series(String ticker, String period) {
        return new Series(ticker(ticker), period(period));
    }

    static String ticker(String value) {
        if (value == null || value.isBlank()) {
            throw new BadParameterException("ticker", value, "ticker is required, e.g. ticker=SBER");
        }
        return value;
    }

    static CandlePeriod period(String value) {
        if (value == null || value.isBlank()) {
            throw new BadParameterException("period", value, "period is required: one of " + CandlePeriod.LABELS);
        }
        try {
            return CandlePeriod.parse(value);
        } catch (InvalidRecordException e) {
            throw new BadParameterException("period", echo(value),
                    "period must be one of " + CandlePeriod.LABELS + ", was \"" + echo(value) + "\"");
        }
    }

    /** An ISO-8601 instant, or null when absent. */
    static Instant instant(String parameter, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            Instant instant = IsoInstants.parse(value);
            if (instant.isAfter(END_OF_TIME) || instant.isBefore(Instant.EPOCH)) {
                throw new BadParameterException(parameter, echo(value),
                        parameter + " must lie between 1970 and 9999, was " + echo(value));
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw new BadParameterException(parameter, echo(value), parameter
                    + " must be an ISO-8601 instant such as 2026-11-21T16:07:00Z, was \"" + echo(value) + "\"");
        }
    }

    static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new BadParameterException("limit", echo(value), "limit must be a whole number from 1 to " + MAX_LIMIT
                    + ", was \"" + echo(value) + "\"");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadParameterException("limit", value, "limit must be from 1 to " + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }

    static void requireOrdered(Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw new BadParameterException("from", from.toString(), "from (" + from + ") is after to (" + to + ")");
        }
    }

    /** What a client sent, cut short: an error message must not become a way to make the app echo megabytes. */
    static String echo(String value) {
        return value.length() <= MAX_ECHO ? value : value.substring(0, MAX_ECHO) + "...";
    }
}
