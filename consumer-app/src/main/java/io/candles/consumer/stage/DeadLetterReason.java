package io.candles.consumer.stage;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.candles.domain.InvalidRecordException;

/**
 * The reason a record was dead-lettered, as a short, bounded name for the {@code reason} tag of
 * {@code records_dead_lettered_total}: the field at fault ({@code price.value}, {@code candle.high}, ...),
 * {@code ts too far ahead}, or {@code unreadable} (not JSON, no value). The full text goes into the record's
 * {@code dead-letter-reason} header; it names the bad value and so is unbounded.
 */
public final class DeadLetterReason {

    public static final String TOO_FAR_AHEAD = "ts too far ahead";
    public static final String UNREADABLE = "unreadable";
    /** Every reason there is: a tag's values must be few and known. */
    public static final List<String> ALL = List.of("price.ticker", "price.value", "price.ts", "candle.ticker",
            "candle.period", "candle.open", "candle.high", "candle.low", "candle.close", "candle.ts", TOO_FAR_AHEAD,
            UNREADABLE);

    private static final Pattern FIELD = Pattern.compile("^((?:price|candle)\\.[a-z]+)\\b");

    private DeadLetterReason() {
    }

    public static String of(InvalidRecordException reason) {
        String message = reason.getMessage() == null ? "" : reason.getMessage();
        if (message.startsWith(TOO_FAR_AHEAD)) {
            return TOO_FAR_AHEAD;
        }
        Matcher field = FIELD.matcher(message);
        return field.find() && ALL.contains(field.group(1)) ? field.group(1) : UNREADABLE;
    }
}
