package io.candles.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The candle periods and their windows. A window is {@code [start, start + duration)} in UTC, aligned to the
 * epoch, so 2m windows start at even minutes and 10m windows at :00, :10, ...
 */
public enum CandlePeriod {

    ONE_MINUTE("1m", Duration.ofMinutes(1), null),
    TWO_MINUTES("2m", Duration.ofMinutes(2), ONE_MINUTE),
    TEN_MINUTES("10m", Duration.ofMinutes(10), TWO_MINUTES);

    private final String label;
    private final Duration duration;
    private final long millis;
    private final CandlePeriod source;

    /** @param source the period this one is built from (its duration divides this one's), null for prices */
    CandlePeriod(String label, Duration duration, CandlePeriod source) {
        if (source != null && duration.toMillis() % source.duration.toMillis() != 0) {
            throw new IllegalArgumentException(label + " is not a whole number of " + source.label);
        }
        this.label = label;
        this.duration = duration;
        this.millis = duration.toMillis();
        this.source = source;
    }

    /** The label used on the wire and in file names: {@code 1m}, {@code 2m}, {@code 10m}. */
    public String label() {
        return label;
    }

    public Duration duration() {
        return duration;
    }

    /** Start of the window that contains {@code t}. */
    public Instant windowStart(Instant t) {
        return Instant.ofEpochMilli(windowStartMillis(t.toEpochMilli()));
    }

    /** End of the window that contains {@code t}, exclusive: the start of the next window. */
    public Instant windowEnd(Instant t) {
        return Instant.ofEpochMilli(windowStartMillis(t.toEpochMilli()) + millis);
    }

    /**
     * {@link #windowStart(Instant)} on epoch milliseconds, for the aggregation's hot path. floorDiv (not /)
     * keeps instants before 1970 in the window that contains them.
     */
    public long windowStartMillis(long epochMilli) {
        return Math.floorDiv(epochMilli, millis) * millis;
    }

    /**
     * The period whose candles this one is built from: 2m from 1m, 10m from 2m; empty for 1m, which is built
     * from prices.
     */
    public Optional<CandlePeriod> source() {
        return Optional.ofNullable(source);
    }

    /** Every label, for messages: {@code 1m, 2m, 10m}. */
    public static final String LABELS = Arrays.stream(values()).map(CandlePeriod::label)
            .collect(Collectors.joining(", "));

    /**
     * The period with this label.
     *
     * @throws InvalidRecordException for any other label
     */
    public static CandlePeriod parse(String label) {
        for (CandlePeriod period : values()) {
            if (period.label.equals(label)) {
                return period;
            }
        }
        throw new InvalidRecordException("candle.period must be one of " + LABELS + ", was "
                + InvalidRecordException.quote(label));
    }
}
