package io.candles.wire;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * ISO-8601 instants as the wire formats write them ({@code 2026-11-21T16:07:31.250Z}), read and written without
 * {@code DateTimeFormatter} for the usual shape: in a profile of the consumer the formatter's generic parsing was a
 * large part of the 1m stage (docs/performance.md). Anything else (offsets, other years, leap seconds, errors) goes to the JDK, so the
 * results are exactly those of {@link Instant#parse} and of an {@code appendInstant(3)} formatter.
 */
public final class IsoInstants {

    /** ISO-8601 in UTC with exactly three fractional digits; also prints years outside 0000-9999. */
    private static final DateTimeFormatter MILLIS_INSTANT = new DateTimeFormatterBuilder()
            .appendInstant(3)
            .toFormatter();
    private static final long SECONDS_PER_DAY = 86_400;
    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in epoch milliseconds: four-digit years. */
    private static final long FOUR_DIGIT_YEARS_FROM = -62_167_219_200_000L;
    private static final long FOUR_DIGIT_YEARS_UNTIL = 253_402_300_800_000L;

    private IsoInstants() {
    }

    /** Like {@link Instant#parse}, including its {@code DateTimeParseException}. */
    public static Instant parse(String text) {
        Instant fast = parseUsualShape(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** Like an {@code appendInstant(3)} formatter: milliseconds, truncated. */
    public static String formatMillis(Instant ts) {
        long millis;
        try {
            millis = ts.toEpochMilli();
        } catch (ArithmeticException e) {
            return MILLIS_INSTANT.format(ts);
        }
        if (millis < FOUR_DIGIT_YEARS_FROM || millis >= FOUR_DIGIT_YEARS_UNTIL) {
            return MILLIS_INSTANT.format(ts);
        }
        long seconds = Math.floorDiv(millis, 1000);
        int milli = (int) Math.floorMod(millis, 1000);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        char[] out = new char[24];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        out[19] = '.';
        digits(out, 20, milli, 3);
        out[23] = 'Z';
        return new String(out);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with ordinary values, else null. */
    private static Instant parseUsualShape(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int digits = length - 21;
            if (text.charAt(19) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            nanos = number(text, 20, digits);
            if (nanos < 0) {
                return null;
            }
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // e.g. February 30th: the JDK reports it
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code text[from, from + count)}, or -1 if a character is not an ASCII digit. */
    private static int number(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static void digits(char[] out, int at, int value, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
