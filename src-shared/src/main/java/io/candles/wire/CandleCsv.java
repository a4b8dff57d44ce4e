package io.candles.wire;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The line format of the candle files, one file per period ({@link #fileName}):
 * {@code SBER,2026-11-21T16:07:00Z,201.182413,213.934383,201.182413,207.613144}, that is ticker, window start
 * in UTC at second precision, open, high, low, close with exactly 6 decimals.
 */
public final class CandleCsv {

    /** {@code uuuu}, the proleptic year, rather than {@code yyyy}: same output for years 1-9999, right before. */
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private static final int FIELD_COUNT = 6;
    private static final int DECIMALS = 6;
    private static final long MICROS_PER_UNIT = 1_000_000;
    /**
     * Up to here, value * 1e6 keeps at least 6 fraction bits, enough to round on the fast path; above it (no
     * real price) BigDecimal does the work.
     */
    private static final double FAST_PATH_LIMIT = 1e8;

    private CandleCsv() {
    }

    /** The file that holds the candles of {@code period}: {@code candles_1m.csv}, ... */
    public static String fileName(CandlePeriod period) {
        return "candles_" + period.label() + ".csv";
    }

    /** The line of {@code candle}, without a line separator. */
    public static String line(Candle candle) {
        StringBuilder line = new StringBuilder(80).append(candle.ticker()).append(',');
        SECONDS.formatTo(candle.ts(), line);
        appendValue(line.append(','), candle.open());
        appendValue(line.append(','), candle.high());
        appendValue(line.append(','), candle.low());
        appendValue(line.append(','), candle.close());
        return line.toString();
    }

    /**
     * Reads a line written by {@link #line}; the files have no period column, so the caller says which file it
     * came from.
     *
     * @throws InvalidRecordException naming the line and what is wrong with it
     */
    public static Candle parse(String line, CandlePeriod period) {
        Objects.requireNonNull(period, "period");
        if (line == null) {
            throw new InvalidRecordException("invalid " + period.label() + " candle line: null");
        }
        String[] fields = line.split(",", -1);
        if (fields.length != FIELD_COUNT) {
            throw invalidLine(line, period, "expected 6 fields (ticker,ts,open,high,low,close), found "
                    + fields.length, null);
        }
        try {
            return new Candle(fields[0], period, number(fields[2], "open"), number(fields[3], "high"),
                    number(fields[4], "low"), number(fields[5], "close"), ts(fields[1]));
        } catch (InvalidRecordException e) {
            throw invalidLine(line, period, e.getMessage(), e);
        }
    }

    /**
     * Appends {@code value} rounded half-up to exactly 6 decimals, rounding the decimal that the double prints
     * as (the same result as {@code BigDecimal.valueOf(value).setScale(6, HALF_UP)}), without creating a
     * BigDecimal or a format string for ordinary values. {@code value} is finite and >= 0 (a valid candle).
     */
    static void appendValue(StringBuilder out, double value) {
        if (value < FAST_PATH_LIMIT) {
            double scaled = value * MICROS_PER_UNIT;
            long whole = (long) scaled;
            // Exact: whole <= scaled < whole + 1 (Sterbenz lemma).
            double fraction = scaled - whole;
            // Near a tie, the rounding error of the product could pick the wrong side; let BigDecimal decide.
            if (Math.abs(fraction - 0.5) > 4 * Math.ulp(scaled)) {
                long micros = fraction > 0.5 ? whole + 1 : whole;
                appendMicros(out, micros);
                return;
            }
        }
        out.append(BigDecimal.valueOf(value).setScale(DECIMALS, RoundingMode.HALF_UP).toPlainString());
    }

    private static void appendMicros(StringBuilder out, long micros) {
        out.append(micros / MICROS_PER_UNIT).append('.');
        long fraction = micros % MICROS_PER_UNIT;
        for (long digit = MICROS_PER_UNIT / 10; digit > fraction && digit > 1; digit /= 10) {
            out.append('0');
        }
        out.append(fraction);
    }

    private static double number(String text, String field) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InvalidRecordException(
                    "candle." + field + " must be a number, was " + InvalidRecordException.quote(text), e);
        }
    }

    private static Instant ts(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException(
                    "candle.ts is not an ISO-8601 instant, was " + InvalidRecordException.quote(text), e);
        }
    }

    private static InvalidRecordException invalidLine(String line, CandlePeriod period, String reason,
                                                      Throwable cause) {
        return new InvalidRecordException("invalid " + period.label() + " candle line "
                + InvalidRecordException.quote(line) + ": " + reason, cause);
    }
}
