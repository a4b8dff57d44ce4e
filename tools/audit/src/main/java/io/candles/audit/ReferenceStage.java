package io.candles.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;

/**
 * One aggregation stage of one partition (prices to 1m, 1m to 2m or 2m to 10m), written again from the rules in
 * {@link ExpectedCandles} without the production aggregator, so that a bug there shows up as a difference here.
 * It keeps every observation of an open window and computes the candle by scanning them when the window closes:
 * slow, and easy to check by reading.
 */
final class ReferenceStage {

    /**
     * What one input says about its ticker: the time that picks its window ({@code bucket}), the time that moves
     * the stream ({@code event}) and its OHLC. For a price both times are its ts and the four values its value;
     * for a candle they are its start and its end.
     */
    record Observation(String ticker, long bucket, long event, double open, double high, double low, double close,
            boolean fromCandle) {

        static Observation of(Price price) {
            long ts = price.ts().toEpochMilli();
            double value = price.value();
            return new Observation(price.ticker(), ts, ts, value, value, value, value, false);
        }

        static Observation of(Candle candle) {
            return new Observation(candle.ticker(), candle.ts().toEpochMilli(), candle.end().toEpochMilli(),
                    candle.open(), candle.high(), candle.low(), candle.close(), true);
        }
    }

    /** A ticker's history in this stage: the observations of its open window (none: no window open). */
    private static final class Ticker {
        final List<Observation> openWindow = new ArrayList<>();
        long openWindowStart;
        /** End of the newest window closed, or null: before it, everything is late. */
        Long closedUntil;
        /** Start of the newest candle input accepted, or null: at or before it, a candle is a redelivery. */
        Long newestCandleStart;
    }

    private final CandlePeriod period;
    private final long periodMillis;
    private final long graceMillis;
    /** In the order the partition first saw each ticker; it decides the order of closes with the same start. */
    private final Map<String, Ticker> tickers = new LinkedHashMap<>();
    /** The greatest event time accepted, or null before the first. */
    private Long streamTime;
    private long late;
    private long duplicates;

    ReferenceStage(CandlePeriod period, Duration grace) {
        this.period = Objects.requireNonNull(period, "period");
        this.periodMillis = period.duration().toMillis();
        this.graceMillis = grace.toMillis();
    }

    /** Takes one input and returns the candles it closed, oldest window first. */
    List<Candle> accept(Observation observation) {
        Ticker ticker = tickers.computeIfAbsent(observation.ticker(), name -> new Ticker());
        long bucket = observation.bucket();
        if (observation.fromCandle() && ticker.newestCandleStart != null && bucket <= ticker.newestCandleStart) {
            duplicates++;
            return List.of();
        }
        boolean beforeOpenWindow = !ticker.openWindow.isEmpty() && bucket < ticker.openWindowStart;
        boolean beforeClosedWindowEnd = ticker.closedUntil != null && bucket < ticker.closedUntil;
        if (beforeOpenWindow || beforeClosedWindowEnd) {
            late++;
            return List.of();
        }
        if (observation.fromCandle()) {
            ticker.newestCandleStart = bucket;
        }

        List<Candle> closed = new ArrayList<>();
        if (!ticker.openWindow.isEmpty() && bucket >= windowEnd(ticker)) {
            closed.add(close(observation.ticker(), ticker));
        }
        if (ticker.openWindow.isEmpty()) {
            ticker.openWindowStart = bucket - Math.floorMod(bucket, periodMillis);
        }
        ticker.openWindow.add(observation);
        if (observation.event() >= windowEnd(ticker)) {
            closed.add(close(observation.ticker(), ticker));
        }
        if (streamTime == null || observation.event() > streamTime) {
            streamTime = observation.event();
        }
        for (Map.Entry<String, Ticker> other : tickers.entrySet()) {
            Ticker silent = other.getValue();
            if (silent != ticker && !silent.openWindow.isEmpty() && graceReached(windowEnd(silent))) {
                closed.add(close(other.getKey(), silent));
            }
        }
        closed.sort(Comparator.comparing(Candle::ts)); // List.sort is stable: ties keep the order above
        return closed;
    }

    long late() {
        return late;
    }

    long duplicates() {
        return duplicates;
    }

    int openWindows() {
        return (int) tickers.values().stream().filter(ticker -> !ticker.openWindow.isEmpty()).count();
    }

    private long windowEnd(Ticker ticker) {
        return ticker.openWindowStart + periodMillis;
    }

    /** windowEnd + grace <= stream time, where a sum beyond the long range is never reached. */
    private boolean graceReached(long windowEnd) {
        try {
            return Math.addExact(windowEnd, graceMillis) <= streamTime;
        } catch (ArithmeticException beyondAnyTime) {
            return false;
        }
    }

    private Candle close(String name, Ticker ticker) {
        List<Observation> window = ticker.openWindow;
        double high = window.get(0).high();
        double low = window.get(0).low();
        for (Observation observation : window) {
            high = Math.max(high, observation.high());
            low = Math.min(low, observation.low());
        }
        Candle candle = new Candle(name, period, window.get(0).open(), high, low, window.get(window.size() - 1).close(),
                Instant.ofEpochMilli(ticker.openWindowStart));
        ticker.closedUntil = windowEnd(ticker);
        window.clear();
        return candle;
    }
}
