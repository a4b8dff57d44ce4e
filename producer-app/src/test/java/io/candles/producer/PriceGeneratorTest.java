package io.candles.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.candles.domain.Price;

class PriceGeneratorTest {

    private static final Instant START = Instant.parse("2026-11-21T16:00:00Z");
    private static final List<String> TICKERS = List.of("AAPL", "SBER", "NVDA", "TSLA");

    @Test
    void tickerIDrawsFromItsOwnRangeWithSixDecimals() {
        PriceGenerator generator = new PriceGenerator(TICKERS, new SplittableRandom(7), clockAt(START));

        for (int round = 0; round < 2_000; round++) {
            List<Price> prices = generator.nextRound();
            assertThat(prices).extracting(Price::ticker).containsExactlyElementsOf(TICKERS);
            for (int i = 0; i < prices.size(); i++) {
                double value = prices.get(i).value();
                assertThat(value).isBetween((i + 1) * 100.0, (i + 1) * 100.0 + 20.0);
                assertThat(BigDecimal.valueOf(value).scale()).isLessThanOrEqualTo(6);
            }
        }
    }

    @Test
    void valuesSpreadOverTheWholeRange() {
        PriceGenerator generator = new PriceGenerator(List.of("AAPL"), new SplittableRandom(1), clockAt(START));
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int round = 0; round < 5_000; round++) {
            double value = generator.nextRound().get(0).value();
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        assertThat(min).isLessThan(101.0);
        assertThat(max).isGreaterThan(119.0);
    }

    @Test
    void everyRoundIsOneSimulatedStepAfterThePreviousOneAndSharedByAllTickers() {
        Duration step = Duration.ofMillis(500).multipliedBy(10);
        PriceGenerator generator = new PriceGenerator(TICKERS, new SplittableRandom(3),
                SimulatedClock.resume(Optional.of(START), Optional.empty(), Instant.EPOCH, step));

        List<Price> first = generator.nextRound();
        List<Price> second = generator.nextRound();

        assertThat(first).extracting(Price::ts).containsOnly(START);
        assertThat(second).extracting(Price::ts).containsOnly(START.plusSeconds(5));
    }

    @Test
    void loadTickersAreNumberedAndSortable() {
        assertThat(PriceGenerator.loadTickers(3)).containsExactly("T0000", "T0001", "T0002");
        assertThat(PriceGenerator.loadTickers(12_000)).hasSize(12_000).isSorted().endsWith("T11999");
        assertThatThrownBy(() -> PriceGenerator.loadTickers(0))
                .hasMessage("generator.load.tickers must be >= 1, was 0");
    }

    @Test
    void refusesAnEmptyTickerList() {
        assertThatThrownBy(() -> new PriceGenerator(List.of(), new SplittableRandom(), clockAt(START)))
                .hasMessage("generator needs at least one ticker");
    }

    @Test
    void refusesAConfiguredTickerThatNoReaderWouldAcceptNamingIt() {
        assertThatThrownBy(() -> new PriceGenerator(List.of("SBER", "\ud800X"), new SplittableRandom(),
                clockAt(START)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("generator.tickers[1].ticker must be well-formed UTF-16");
        assertThatThrownBy(() -> new PriceGenerator(List.of("A".repeat(40)), new SplittableRandom(), clockAt(START)))
                .hasMessageStartingWith("generator.tickers[0].ticker must be at most 32 characters");
    }

    private static SimulatedClock clockAt(Instant start) {
        return SimulatedClock.resume(Optional.of(start), Optional.empty(), Instant.EPOCH, Duration.ofSeconds(5));
    }
}
