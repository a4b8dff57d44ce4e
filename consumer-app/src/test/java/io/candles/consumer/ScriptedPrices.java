package io.candles.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.candles.domain.Price;

/** A known price sequence: every ticker every {@code step}, from {@code start} to {@code end} inclusive. */
final class ScriptedPrices {

    static final List<String> TICKERS = List.of("AAPL", "SBER", "NVDA", "TSLA");

    private ScriptedPrices() {
    }

    static List<Price> every(Duration step, Instant start, Instant end, long seed) {
        Random random = new Random(seed);
        List<Price> prices = new ArrayList<>();
        for (Instant ts = start; !ts.isAfter(end); ts = ts.plus(step)) {
            for (int i = 0; i < TICKERS.size(); i++) {
                double value = Math.round(((i + 1) * 100 + random.nextDouble() * 20) * 1_000_000) / 1_000_000.0;
                prices.add(new Price(TICKERS.get(i), value, ts));
            }
        }
        return prices;
    }
}
