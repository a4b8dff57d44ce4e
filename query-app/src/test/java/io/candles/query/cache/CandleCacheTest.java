package io.candles.query.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Series;

class CandleCacheTest {

    private static final Instant T0 = Instant.parse("2026-11-21T16:00:00Z");
    private static final Series SBER = new Series("SBER", CandlePeriod.ONE_MINUTE);

    @Test
    void aNewSeriesIsAnsweredWholeFromMemoryAndKeepsOnlyTheNewestCandles() {
        CandleCache cache = new CandleCache(3, 10);
        for (int minute = 0; minute < 5; minute++) {
            cache.stored(candle("SBER", minute), minute == 0);
        }

        assertThat(cache.newestBefore(SBER, end(), 2)).hasValueSatisfying(candles ->
                assertThat(minutes(candles)).containsExactly(3, 4));
        assertThat(cache.oldestFrom(SBER, at(2), end(), 10)).hasValueSatisfying(candles ->
                assertThat(minutes(candles)).containsExactly(2, 3, 4));
        assertThat(cache.candleCount()).isEqualTo(3);
        // Minutes 0 and 1 left the cache: a read that reaches them goes to QuestDB.
        assertThat(cache.oldestFrom(SBER, at(1), end(), 10)).isEmpty();
        assertThat(cache.newestBefore(SBER, end(), 4)).isEmpty();
        assertThat(cache.hits()).isEqualTo(2);
        assertThat(cache.misses()).isEqualTo(2);
    }

    @Test
    void aCompleteSeriesAnswersAnyRangeEvenBeforeItsFirstCandle() {
        CandleCache cache = new CandleCache(10, 10);
        cache.stored(candle("SBER", 5), true);
        cache.stored(candle("SBER", 6), false);

        assertThat(cache.oldestFrom(SBER, at(0), at(6), 10)).hasValueSatisfying(candles ->
                assertThat(minutes(candles)).containsExactly(5));
        assertThat(cache.newestBefore(SBER, end(), 100)).hasValueSatisfying(candles ->
                assertThat(minutes(candles)).containsExactly(5, 6));
        assertThat(cache.oldestFrom(SBER, at(7), end(), 10)).hasValue(List.of());
    }

    @Test
    void rangesAreHalfOpenAndLimitedFromTheOldestOrTheNewestEnd() {
        CandleCache cache = new CandleCache(100, 10);
        for (int minute = 0; minute < 10; minute++) {
            cache.stored(candle("SBER", minute), minute == 0);
        }

        assertThat(minutes(cache.oldestFrom(SBER, at(2), at(6), 100).orElseThrow())).containsExactly(2, 3, 4, 5);
        assertThat(minutes(cache.oldestFrom(SBER, at(2), at(6), 2).orElseThrow())).containsExactly(2, 3);
        assertThat(minutes(cache.newestBefore(SBER, at(6), 2).orElseThrow())).containsExactly(4, 5);
    }

    @Test
    void theLeastRecentlyWrittenSeriesGoesFirstAndComesBackIncomplete() {
        CandleCache cache = new CandleCache(10, 2);
        cache.stored(candle("AAPL", 0), true);
        cache.stored(candle("SBER", 0), true);
        cache.stored(candle("AAPL", 1), false); // AAPL is now the most recently written
        cache.stored(candle("NVDA", 0), true); // evicts SBER

        assertThat(cache.seriesCount()).isEqualTo(2);
        assertThat(cache.newest(SBER)).isEmpty();
        assertThat(cache.newest(new Series("AAPL", CandlePeriod.ONE_MINUTE))).isPresent();

        cache.stored(candle("SBER", 1), false); // back, without its minute 0
        assertThat(cache.newestBefore(SBER, end(), 1)).hasValueSatisfying(candles ->
                assertThat(minutes(candles)).containsExactly(1));
        assertThat(cache.newestBefore(SBER, end(), 2)).isEmpty();
    }

    @Test
    void aSeriesLoadedFullAtStartUpMayHaveOlderCandlesInQuestDb() {
        CandleCache cache = new CandleCache(2, 10);
        cache.load(candle("SBER", 8));
        cache.load(candle("SBER", 9));
        cache.load(candle("AAPL", 9));
        cache.loaded();

        assertThat(cache.newestBefore(SBER, end(), 3)).isEmpty();
        Series aapl = new Series("AAPL", CandlePeriod.ONE_MINUTE);
        assertThat(cache.newestBefore(aapl, end(), 3)).hasValueSatisfying(candles ->
                assertThat(minutes(candles)).containsExactly(9));
        assertThat(cache.candleCount()).isEqualTo(3);
    }

    @Test
    void refusesBoundsBelowOneNamingTheSetting() {
        assertThatThrownBy(() -> new CandleCache(0, 1))
                .hasMessage("query.cache.candles-per-series must be >= 1, was 0");
        assertThatThrownBy(() -> new CandleCache(1, -5)).hasMessage("query.cache.max-series must be >= 1, was -5");
    }

    private static Candle candle(String ticker, int minute) {
        return new Candle(ticker, CandlePeriod.ONE_MINUTE, 100 + minute, 101 + minute, 99 + minute, 100.5 + minute,
                at(minute));
    }

    private static Instant at(int minute) {
        return T0.plusSeconds(60L * minute);
    }

    private static Instant end() {
        return Instant.parse("9999-12-31T23:59:59.999Z");
    }

    private static List<Integer> minutes(List<Candle> candles) {
        return candles.stream().map(c -> (int) ((c.ts().getEpochSecond() - T0.getEpochSecond()) / 60)).toList();
    }
}
