package io.candles.aggregation;

import io.candles.aggregation.CandleAggregator.ClosedCandle;
import io.candles.domain.Candle;
import io.candles.domain.Price;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static io.candles.domain.CandlePeriod.ONE_MINUTE;
import static io.candles.domain.CandlePeriod.TEN_MINUTES;
import static io.candles.domain.CandlePeriod.TWO_MINUTES;
import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline's chain prices -> 1m -> 2m -> 10m must give the same 10m candles as prices -> 10m directly. */
class ChainedAggregationTest {

    private static final List<String> TICKERS = List.of("AAPL", "SBER", "NVDA");
    private static final Instant START = Instant.parse("2026-11-21T16:00:00Z");
    private static final Comparator<Candle> BY_TS_AND_TICKER =
            Comparator.comparing(Candle::ts).thenComparing(Candle::ticker);

    @ParameterizedTest(name = "grace {0} ms")
    @ValueSource(longs = {1, 1_000, 30_000})
    void chainedStagesEqualDirectAggregation(long graceMillis) {
        Duration grace = Duration.ofMillis(graceMillis);
        List<Price> prices = prices(new Random(20261121L));
        CandleAggregator<Price> oneMinute = new CandleAggregator<>(ONE_MINUTE, grace);
        CandleAggregator<Candle> twoMinutes = new CandleAggregator<>(TWO_MINUTES, grace);
        CandleAggregator<Candle> tenMinutes = new CandleAggregator<>(TEN_MINUTES, grace);
        CandleAggregator<Price> direct = new CandleAggregator<>(TEN_MINUTES, grace);
        List<Candle> chained = new ArrayList<>();
        List<Candle> directly = new ArrayList<>();

        for (Price price : prices) {
            for (ClosedCandle<Price> m1 : oneMinute.add(price, price).closed()) {
                for (ClosedCandle<Candle> m2 : twoMinutes.add(m1.candle(), m1.candle()).closed()) {
                    tenMinutes.add(m2.candle(), m2.candle()).closed().forEach(m10 -> chained.add(m10.candle()));
                }
            }
            direct.add(price, price).closed().forEach(m10 -> directly.add(m10.candle()));
        }

        chained.sort(BY_TS_AND_TICKER);
        directly.sort(BY_TS_AND_TICKER);
        // 16:00 to 16:40 for each ticker; 16:50 is still open.
        assertThat(directly).hasSize(5 * TICKERS.size());
        assertThat(chained).containsExactlyElementsOf(directly);
        assertThat(List.of(oneMinute, twoMinutes, tenMinutes, direct))
                .allSatisfy(stage -> assertThat(stage.lateCount()).isZero())
                .allSatisfy(stage -> assertThat(stage.duplicateCount()).isZero());
    }

    /**
     * Prices of every ticker in event-time order: 40 minutes at irregular intervals with silent stretches, then
     * 20 minutes of one price per ticker per second. The chain closes a window later than direct aggregation
     * (each stage waits for the next one's sub-candle), so the regular tail makes both close every window the
     * irregular part touched.
     */
    private static List<Price> prices(Random random) {
        List<Price> prices = new ArrayList<>();
        Instant irregularEnd = START.plus(Duration.ofMinutes(40));
        Instant end = START.plus(Duration.ofMinutes(60));
        for (int i = 0; i < TICKERS.size(); i++) {
            double base = (i + 1) * 100;
            Instant ts = START;
            while (ts.isBefore(irregularEnd)) {
                prices.add(new Price(TICKERS.get(i), base + random.nextDouble() * 20, ts));
                long stepMillis = random.nextInt(20) == 0
                        ? 60_000 + random.nextInt(180_000)
                        : 200 + random.nextInt(5_000);
                ts = ts.plusMillis(stepMillis);
            }
            for (ts = irregularEnd; ts.isBefore(end); ts = ts.plusSeconds(1)) {
                prices.add(new Price(TICKERS.get(i), base + random.nextDouble() * 20, ts));
            }
        }
        prices.sort(Comparator.comparing(Price::ts).thenComparing(Price::ticker));
        return prices;
    }
}
