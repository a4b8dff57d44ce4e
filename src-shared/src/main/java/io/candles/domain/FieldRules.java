package io.candles.domain;

import java.time.Instant;

/** The field checks that {@link Price} and {@link Candle} share; each throws {@link InvalidRecordException}. */
final class FieldRules {

    private FieldRules() {
    }

    /**
     * A ticker is non-blank and holds no comma, double quote or control character: it is written unquoted
     * into the CSV files, where any of those would break the line.
     */
    static void requireTicker(String record, String ticker) {
        if (ticker == null || ticker.isBlank()) {
            throw new InvalidRecordException(
                    record + ".ticker must not be blank, was " + InvalidRecordException.quote(ticker));
        }
        for (int i = 0; i < ticker.length(); i++) {
            char c = ticker.charAt(i);
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
