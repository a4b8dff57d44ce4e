package io.candles.producer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import io.candles.domain.FieldRules;
import io.candles.domain.InvalidRecordException;
import io.candles.domain.Price;

/**
 * Generates rounds of prices: one per ticker, all at the round's simulated time. Ticker {@code i} (0-based) draws
 * uniformly from {@code [(i+1)*100, (i+1)*100 + 20]}, rounded to 6 decimals (what the candle files keep).
 * Not thread-safe.
 */
public final class PriceGenerator {

    static final double RANGE_WIDTH = 20.0;

    private final List<String> tickers;
    private final RandomGenerator random;
    private final SimulatedClock clock;

    public PriceGenerator(List<String> tickers, RandomGenerator random, SimulatedClock clock) {
        if (tickers.isEmpty()) {
            throw new IllegalArgumentException("generator needs at least one ticker");
        }
        // Checked here, at start-up, with the rules every reader applies: a bad ticker fails the start, naming it.
        for (int i = 0; i < tickers.size(); i++) {
            try {
                FieldRules.requireTicker("generator.tickers[" + i + "]", tickers.get(i));
            } catch (InvalidRecordException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        this.tickers = List.copyOf(tickers);
        this.random = random;
        this.clock = clock;
    }

    /** Tickers {@code T0000 .. T(n-1)} for load mode, zero-padded so that they sort in order. */
    public static List<String> loadTickers(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("generator.load.tickers must be >= 1, was " + count);
        }
        int width = Math.max(4, String.valueOf(count - 1).length());
        return IntStream.range(0, count).mapToObj(i -> "T" + "0".repeat(width - String.valueOf(i).length()) + i)
                .toList();
    }

    public static double lowerBound(int tickerIndex) {
        return (tickerIndex + 1) * 100.0;
    }

    public List<Price> nextRound() {
        Instant ts = clock.nextRound();
        List<Price> round = new ArrayList<>(tickers.size());
        for (int i = 0; i < tickers.size(); i++) {
            double low = lowerBound(i);
            round.add(new Price(tickers.get(i), roundTo6Decimals(random.nextDouble(low, low + RANGE_WIDTH)), ts));
        }
        return round;
    }

    public List<String> tickers() {
        return tickers;
    }

    private static double roundTo6Decimals(double value) {
        return Math.round(value * 1_000_000.0) / 1_000_000.0;
    }
}
