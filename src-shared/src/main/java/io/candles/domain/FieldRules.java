package io.candles.domain;

import java.time.Instant;

/**
 * The field checks that {@link Price} and {@link Candle} share, and so every reader of the wire contract; the
 * producer checks its configured tickers with {@link #requireTicker} too. Each throws {@link InvalidRecordException}.
 */
public final class FieldRules {

    /** Longest ticker, in characters (code points): a key, a file column and a cache key, not free text. */
    public static final int MAX_TICKER_LENGTH = 32;

    private FieldRules() {
    }

    /**
     * A ticker is non-blank, at most {@value #MAX_TICKER_LENGTH} characters of well-formed UTF-16 (a lone surrogate
     * would be written to the files as {@code ?}), and holds no comma, double quote or control character: it is
     * written unquoted into the CSV files, where any of those would break the line.
     */
    public static void requireTicker(String record, String ticker) {
        if (ticker == null || ticker.isBlank()) {
            throw new InvalidRecordException(
                    record + ".ticker must not be blank, was " + InvalidRecordException.quote(ticker));
        }
        if (ticker.codePointCount(0, ticker.length()) > MAX_TICKER_LENGTH) {
            throw new InvalidRecordException(record + ".ticker must be at most " + MAX_TICKER_LENGTH
                    + " characters, was " + InvalidRecordException.quote(ticker));
        }
        for (int i = 0; i < ticker.length(); i++) {
            char c = ticker.charAt(i);
            boolean pairStart = Character.isHighSurrogate(c) && i + 1 < ticker.length()
                    && Character.isLowSurrogate(ticker.charAt(i + 1));
            if (pairStart) {
                i++; // a whole supplementary character: fine
                continue;
            }
            if (Character.isSurrogate(c)) {
                throw new InvalidRecordException(record + ".ticker must be well-formed UTF-16, has a lone surrogate"
                        + String.format(" \\u%04x at %d: ", (int) c, i) + InvalidRecordException.quote(ticker));
            }
            if (c == ',' || c == '"' || Character.isISOControl(c)) {
                throw new InvalidRecordException(record + ".ticker must not contain a comma, a double quote"
                        + " or a control character, was " + InvalidRecordException.quote(ticker));
            }
        }
    }

    static void requirePrice(String field, double value) {
        // Written as "not >= 0" so that NaN, which fails every comparison, is rejected too.
        if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
            throw new InvalidRecordException(field + " must be a finite number >= 0, was " + value);
        }
    }

    static void requireTs(String record, Instant ts) {
        if (ts == null) {
            throw new InvalidRecordException(record + ".ts is missing");
        }
        try {
            ts.toEpochMilli(); // window arithmetic is done in epoch milliseconds
        } catch (ArithmeticException e) {
            throw new InvalidRecordException(record + ".ts is out of range, was " + ts);
        }
    }
}
