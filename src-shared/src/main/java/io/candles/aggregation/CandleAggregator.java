package io.candles.aggregation;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The event-time aggregation of one input partition into candles of one period; every stage (prices to 1m,
 * 1m to 2m, 2m to 10m) uses it. Not thread-safe: one instance per partition, fed in partition order.
 *
 * <p>Rules for each observation, in order:
 * <ol>
 *   <li>An observation before the ticker's open window, or before the end of its last closed window, is
 *       {@link Disposition#LATE}: counted, not merged, no other effect. A candle input whose start is at or
 *       before the last sub-candle merged for its ticker is a redelivery, {@link Disposition#DUPLICATE}:
 *       counted, not merged (the first one wins).</li>
 *   <li>If the ticker's open window ends at or before the observation's bucket time, it closes.</li>
 *   <li>The observation is merged into the window of its bucket time, opened if needed.</li>
 *   <li>If the observation's event time reaches that window's end (a candle input completing it), it closes.</li>
 *   <li>The partition's stream time is the greatest event time seen; other tickers' open windows whose end
 *       plus the grace is at or before it close (tickers that fell silent).</li>
 * </ol>
 * A price's bucket time and event time are its {@code ts}; a candle input's bucket time is its start and its
 * event time its end.
 *
 * @param <S> what identifies an input to the caller, typically its Kafka offset; only each window's first one is
 *            kept (see {@link ClosedCandle#firstSource()}); opaque here
 */
public final class CandleAggregator<S> {

    /** What happened to one observation. */
    public enum Disposition { ACCEPTED, LATE, DUPLICATE }

    /**
     * A finished candle and the source of the first observation merged into it: inputs arrive in partition order,
     * so that is the oldest input the candle still owes its acknowledgement to.
     */
    public record ClosedCandle<S>(Candle candle, S firstSource) {
    }

    /**
     * The result of one {@code add}: what happened to the observation and the windows that closed because of
     * it (possibly none), ordered by window start.
     */
    public record Outcome<S>(Disposition disposition, List<ClosedCandle<S>> closed) {
    }

    /*
     * Windows closed by one add are emitted oldest first, so that the next stage's stream time does not jump
     * past a window that an older candle of another ticker still belongs to. The sort is stable.
     */
    private static final Comparator<ClosedCandle<?>> BY_WINDOW_START =
            Comparator.comparing(closed -> closed.candle().ts());

    private final CandlePeriod period;
    private final CandlePeriod sourcePeriod;
    private final long periodMillis;
    private final long graceMillis;
    private final Map<String, Series<S>> seriesByTicker = new LinkedHashMap<>();
    private final Outcome<S> acceptedNothingClosed = new Outcome<>(Disposition.ACCEPTED, List.of());
    private final Outcome<S> late = new Outcome<>(Disposition.LATE, List.of());
    private final Outcome<S> duplicate = new Outcome<>(Disposition.DUPLICATE, List.of());

    private Instant streamTime;
    private long streamMillis = Long.MIN_VALUE;
    /** No open window ends before this; lets most adds skip the scan for silent tickers. */
    private long earliestOpenWindowEnd = Long.MAX_VALUE;
    private int openWindowCount;
    private long lateCount;
    private long duplicateCount;

    /**
     * A candle stage (2m, 10m) needs a grace above zero and at least the grace of the stage feeding it: all
     * tickers' sub-candles of one window carry the same event time, so with grace 0 the first to arrive closes
     * the others' windows before their own last sub-candle comes, which is then late.
     *
     * @param period the period of the candles this aggregator produces
     * @param grace  how long past a window's end the stream time must be before a silent ticker's window
     *               closes; used at millisecond precision
     */
    public CandleAggregator(CandlePeriod period, Duration grace) {
        this.period = Objects.requireNonNull(period, "period");
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
        this.sourcePeriod = period.source().orElse(null);
        this.periodMillis = period.duration().toMillis();
        this.graceMillis = grace.toMillis();
    }

    /** Adds a price; its bucket time and event time are {@code price.ts()}. */
    public Outcome<S> add(Price price, S source) {
        Series<S> series = seriesOf(price.ticker());
        long bucket = price.ts().toEpochMilli();
        if (series.isLate(bucket)) {
            lateCount++;
            return late;
        }
        double value = price.value();
        return merge(series, bucket, price.ts(), value, value, value, value, source);
    }

    /**
     * Adds a candle of this period's source period (1m into 2m, 2m into 10m); its bucket time is its start and
     * its event time its end.
     *
     * @throws IllegalArgumentException if the candle's period is not this aggregator's source period
     */
    public Outcome<S> add(Candle candle, S source) {
        if (candle.period() != sourcePeriod) {
            throw new IllegalArgumentException("a " + period.label() + " aggregator takes "
                    + (sourcePeriod == null ? "prices" : sourcePeriod.label() + " candles")
                    + ", not " + candle.period().label() + " candles");
        }
        Series<S> series = seriesOf(candle.ticker());
        long start = candle.ts().toEpochMilli();
        if (start <= series.lastMergedCandleStart) {
            duplicateCount++;
            return duplicate;
        }
        if (series.isLate(start)) {
            lateCount++;
            return late;
        }
        series.lastMergedCandleStart = start;
        return merge(series, start, candle.end(), candle.open(), candle.high(), candle.low(), candle.close(), source);
    }

    /** Observations dropped as late so far. */
    public long lateCount() {
        return lateCount;
    }

    /** Candle inputs dropped as redelivered duplicates so far. */
    public long duplicateCount() {
        return duplicateCount;
    }

    public int openWindowCount() {
        return openWindowCount;
    }

    /** The first source of each open window, in no particular order. */
    public List<S> openWindowFirstSources() {
        List<S> sources = new ArrayList<>(openWindowCount);
        for (Series<S> series : seriesByTicker.values()) {
            if (series.hasWindow) {
                sources.add(series.firstSource);
            }
        }
        return sources;
    }

    /** The greatest event time accepted so far; null before the first accepted observation. */
    public Instant streamTime() {
        return streamTime;
    }

    private Series<S> seriesOf(String ticker) {
        return seriesByTicker.computeIfAbsent(ticker, Series::new);
    }

    private Outcome<S> merge(Series<S> series, long bucket, Instant event,
                             double open, double high, double low, double close, S source) {
        List<ClosedCandle<S>> closed = null;
        if (series.hasWindow && bucket >= series.windowEnd) {
            closed = closeWindow(series, closed);
        }
        if (series.hasWindow) {
            series.high = Math.max(series.high, high);
            series.low = Math.min(series.low, low);
            series.close = close;
        } else {
            series.windowStart = period.windowStartMillis(bucket);
            series.windowEnd = series.windowStart + periodMillis;
            series.open = open;
            series.high = high;
            series.low = low;
            series.close = close;
            series.hasWindow = true;
            openWindowCount++;
            earliestOpenWindowEnd = Math.min(earliestOpenWindowEnd, series.windowEnd);
        }
        if (series.firstSource == null) {
            series.firstSource = source;
        }

        long eventMillis = event.toEpochMilli();
        if (eventMillis >= series.windowEnd) {
            closed = closeWindow(series, closed);
        }
        if (streamTime == null || event.isAfter(streamTime)) {
            streamTime = event;
            streamMillis = eventMillis;
        }
        closed = closeSilent(series, closed);

        if (closed == null) {
            return acceptedNothingClosed;
        }
        if (closed.size() > 1) {
            closed.sort(BY_WINDOW_START);
        }
        return new Outcome<>(Disposition.ACCEPTED, Collections.unmodifiableList(closed));
    }

    /** Closes the windows of tickers other than {@code current} whose end plus the grace the stream time reached. */
    private List<ClosedCandle<S>> closeSilent(Series<S> current, List<ClosedCandle<S>> closed) {
        // Saturates instead of overflowing for a huge grace.
        long closesAtOrBefore = streamMillis >= Long.MIN_VALUE + graceMillis
                ? streamMillis - graceMillis : Long.MIN_VALUE;
        if (openWindowCount == 0 || earliestOpenWindowEnd > closesAtOrBefore) {
            return closed;
        }
        long earliestRemaining = Long.MAX_VALUE;
        for (Series<S> series : seriesByTicker.values()) {
            if (!series.hasWindow) {
                continue;
            }
            if (series != current && series.windowEnd <= closesAtOrBefore) {
                closed = closeWindow(series, closed);
            } else {
                earliestRemaining = Math.min(earliestRemaining, series.windowEnd);
            }
        }
        earliestOpenWindowEnd = earliestRemaining;
        return closed;
    }

    private List<ClosedCandle<S>> closeWindow(Series<S> series, List<ClosedCandle<S>> closed) {
        Candle candle = new Candle(series.ticker, period, series.open, series.high, series.low, series.close,
                Instant.ofEpochMilli(series.windowStart));
        List<ClosedCandle<S>> result = closed == null ? new ArrayList<>(2) : closed;
        result.add(new ClosedCandle<>(candle, series.firstSource));
        series.firstSource = null;
        series.hasWindow = false;
        series.closedUntil = series.windowEnd;
        openWindowCount--;
        return result;
    }

    /**
     * The mutable state of one ticker: its open window, if any, and what it has already closed or merged. Kept
     * for as long as the aggregator lives, so a redelivery or a late price is recognised however late it is.
     */
    private static final class Series<S> {
        final String ticker;
        boolean hasWindow;
        long windowStart;
        long windowEnd;
        double open;
        double high;
        double low;
        double close;
        /** The source of the open window's first observation; null while no window is open. */
        S firstSource;
        /** End of the last closed window; anything before it is late. */
        long closedUntil = Long.MIN_VALUE;
        /** Start of the last candle input merged, kept after its window closed, to spot redeliveries. */
        long lastMergedCandleStart = Long.MIN_VALUE;

        Series(String ticker) {
            this.ticker = ticker;
        }

        boolean isLate(long bucket) {
            return (hasWindow && bucket < windowStart) || bucket < closedUntil;
        }
    }
}
