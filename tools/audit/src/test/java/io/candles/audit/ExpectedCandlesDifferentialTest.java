package io.candles.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.candles.aggregation.CandleAggregator;
import io.candles.aggregation.CandleAggregator.Outcome;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;

/**
 * The reference against the production {@link CandleAggregator}, chained per partition the way the pipeline chains
 * its stages: on random prices over several partitions and tickers, some out of order, some late, some tickers
 * silent for long stretches, both must close the same candles in the same order, count the same late prices and
 * leave the same windows open.
 */
class ExpectedCandlesDifferentialTest {

    private static final int SCENARIOS = 300;
    private static final Instant[] STARTS = {
            Instant.parse("2026-11-21T16:00:00Z"),
            Instant.parse("2026-11-21T16:07:31.250Z"),
            Instant.parse("1969-12-31T23:55:00.001Z"), // windows before the epoch
    };

    static Stream<Duration> graces() {
        return Stream.of(Duration.ZERO, Duration.ofMillis(1), Duration.ofNanos(999_999), Duration.ofSeconds(10),
                Duration.ofSeconds(10).plusNanos(500_000), Duration.ofSeconds(45), Duration.ofMinutes(3),
                Duration.ofMinutes(15));
    }

    @ParameterizedTest(name = "grace {0}")
    @MethodSource("graces")
    void theReferenceAndTheAggregatorAgreeOnRandomPrices(Duration grace) {
        long closedCandles = 0;
        long latePrices = 0;
        long lateCandles = 0;
        for (int seed = 0; seed < SCENARIOS; seed++) {
            String scenario = "seed " + seed + ", grace " + grace;
            ExpectedCandles reference = new ExpectedCandles(grace);
            AggregatorChains production = new AggregatorChains(grace);
            Random random = new Random(seed);
            for (Input input : randomPrices(random)) {
                reference.add(input.partition(), input.price());
                production.add(input.partition(), input.price());
            }

            List<Candle> expected = production.closed;
            List<Candle> actual = reference.closed();
            for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
                assertThat(i < actual.size() ? actual.get(i) : null)
                        .as("%s: closed candle %d of %d (reference) / %d (aggregator)", scenario, i, actual.size(),
                                expected.size())
                        .isEqualTo(i < expected.size() ? expected.get(i) : null);
            }
            assertThat(reference.latePrices()).as("%s: late prices", scenario).isEqualTo(production.latePrices());
            assertThat(reference.openWindows()).as("%s: open windows", scenario).isEqualTo(production.openWindows());
            closedCandles += actual.size();
            latePrices += reference.latePrices();
            lateCandles += production.lateCandles();
        }
        // The scenarios reach every rule: candles of all periods, late prices, and (for a small grace) late candles.
        assertThat(closedCandles).isGreaterThan(10_000);
        assertThat(latePrices).isGreaterThan(100);
        if (grace.compareTo(Duration.ofSeconds(1)) < 0) {
            assertThat(lateCandles).isPositive();
        }
    }

    private record Input(int partition, Price price) {
    }

    /**
     * One to eight tickers on one to three partitions. A partition's clock moves in steps of up to a few seconds, now
     * and then a jump of minutes; a ticker trails it by its own lag (so its windows can open behind the stream time),
     * a few prices come up to three minutes out of order (many of them late), some sit on a window boundary or carry
     * nanoseconds, and rarely picked tickers fall silent for long stretches.
     */
    private static List<Input> randomPrices(Random random) {
        int partitions = 1 + random.nextInt(3);
        int tickers = 1 + random.nextInt(8);
        int[] partitionOf = new int[tickers];
        long[] lagMillis = new long[tickers];
        double[] weight = new double[tickers];
        double totalWeight = 0;
        for (int t = 0; t < tickers; t++) {
            partitionOf[t] = random.nextInt(partitions);
            lagMillis[t] = random.nextInt(4) == 0 ? random.nextInt(150_000) : 0;
            weight[t] = random.nextInt(3) == 0 ? 0.05 : 1 + random.nextInt(5);
            totalWeight += weight[t];
        }
        Instant[] clock = new Instant[partitions];
        Instant start = STARTS[random.nextInt(STARTS.length)];
        for (int p = 0; p < partitions; p++) {
            clock[p] = start.plusMillis(random.nextInt(60_000));
        }

        List<Input> prices = new ArrayList<>();
        int count = 200 + random.nextInt(3_000);
        for (int i = 0; i < count; i++) {
            int ticker = pick(random, weight, totalWeight);
            int partition = partitionOf[ticker];
            int step = random.nextInt(100);
            long advance = step < 2 ? 60_000L * (1 + random.nextInt(15)) : step < 10 ? 0 : random.nextInt(5_000);
            clock[partition] = clock[partition].plusMillis(advance);
            Instant ts = clock[partition].minusMillis(lagMillis[ticker]);
            int shape = random.nextInt(100);
            if (shape < 12) {
                ts = ts.minusMillis(random.nextInt(180_000));
            } else if (shape < 15) {
                ts = Instant.ofEpochMilli(Math.floorDiv(ts.toEpochMilli(), 60_000) * 60_000);
            } else if (shape < 18) {
                ts = ts.plusNanos(random.nextInt(1_000_000));
            }
            double value = switch (random.nextInt(20)) {
                case 0 -> 0;
                case 1 -> 100;
                default -> random.nextDouble() * 1_000;
            };
            prices.add(new Input(partition, new Price("T" + ticker, value, ts)));
        }
        return prices;
    }

    private static int pick(Random random, double[] weight, double totalWeight) {
        double target = random.nextDouble() * totalWeight;
        for (int t = 0; t < weight.length - 1; t++) {
            target -= weight[t];
            if (target < 0) {
                return t;
            }
        }
        return weight.length - 1;
    }

    /**
     * How the audit recomputed the candles before it had its own rules: one production aggregator per partition and
     * period, every closed candle handed at once to the next period's aggregator of the same partition.
     */
    private static final class AggregatorChains {

        private final Duration grace;
        private final Map<Integer, List<CandleAggregator<Void>>> chains = new HashMap<>();
        final List<Candle> closed = new ArrayList<>();

        AggregatorChains(Duration grace) {
            this.grace = grace;
        }

        void add(int partition, Price price) {
            List<CandleAggregator<Void>> chain = chains.computeIfAbsent(partition, p -> List.of(
                    new CandleAggregator<>(CandlePeriod.ONE_MINUTE, grace),
                    new CandleAggregator<>(CandlePeriod.TWO_MINUTES, grace),
                    new CandleAggregator<>(CandlePeriod.TEN_MINUTES, grace)));
            cascade(chain, 0, chain.get(0).add(price, null));
        }

        private void cascade(List<CandleAggregator<Void>> chain, int stage, Outcome<Void> outcome) {
            for (CandleAggregator.ClosedCandle<Void> window : outcome.closed()) {
                closed.add(window.candle());
                if (stage + 1 < chain.size()) {
                    cascade(chain, stage + 1, chain.get(stage + 1).add(window.candle(), null));
                }
            }
        }

        long latePrices() {
            return chains.values().stream().mapToLong(chain -> chain.get(0).lateCount()).sum();
        }

        long lateCandles() {
            return chains.values().stream()
                    .mapToLong(chain -> chain.get(1).lateCount() + chain.get(2).lateCount()).sum();
        }

        int openWindows() {
            return chains.values().stream().flatMap(List::stream).mapToInt(CandleAggregator::openWindowCount).sum();
        }
    }
}
