package io.candles.aggregation;

import io.candles.aggregation.CandleAggregator.ClosedCandle;
import io.candles.aggregation.CandleAggregator.Disposition;
import io.candles.aggregation.CandleAggregator.Outcome;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.candles.domain.CandlePeriod.ONE_MINUTE;
import static io.candles.domain.CandlePeriod.TEN_MINUTES;
import static io.candles.domain.CandlePeriod.TWO_MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CandleAggregatorTest {

    private static Instant at(String time) {
        return Instant.parse("2026-11-21T" + time + "Z");
    }

    private static Price price(String ticker, double value, String time) {
        return new Price(ticker, value, at(time));
    }

    private static Candle candle(String ticker, CandlePeriod period, double open, double high, double low,
                                 double close, String time) {
        return new Candle(ticker, period, open, high, low, close, at(time));
    }

    private static CandleAggregator<String> aggregator(CandlePeriod period, Duration grace) {
        return new CandleAggregator<>(period, grace);
    }

    private static List<Candle> candles(Outcome<String> outcome) {
        return outcome.closed().stream().map(ClosedCandle::candle).toList();
    }

    @Test
    void openIsTheFirstPriceAndCloseTheLastWhateverTheirSize() {
        CandleAggregator<String> oneMinute = aggregator(ONE_MINUTE, Duration.ZERO);

        assertThat(oneMinute.add(price("SBER", 10, "16:07:05"), "p1").closed()).isEmpty();
        assertThat(oneMinute.add(price("SBER", 8, "16:07:20"), "p2").closed()).isEmpty();
        assertThat(oneMinute.add(price("SBER", 12, "16:07:40"), "p3").closed()).isEmpty();
        Outcome<String> lastInWindow = oneMinute.add(price("SBER", 9, "16:07:59.999"), "p4");
        Outcome<String> atWindowEnd = oneMinute.add(price("SBER", 11, "16:08:00.000"), "p5");

        assertThat(lastInWindow.disposition()).isEqualTo(Disposition.ACCEPTED);
        assertThat(lastInWindow.closed()).isEmpty();
        assertThat(atWindowEnd.disposition()).isEqualTo(Disposition.ACCEPTED);
        assertThat(atWindowEnd.closed()).containsExactly(new ClosedCandle<>(
                candle("SBER", ONE_MINUTE, 10, 12, 8, 9, "16:07:00"), "p1"));
        assertThat(oneMinute.openWindowCount()).isEqualTo(1);
        assertThat(oneMinute.streamTime()).isEqualTo(at("16:08:00"));
    }

    @Test
    void aPriceAtTheExactWindowEndOpensTheNextWindow() {
        CandleAggregator<String> oneMinute = aggregator(ONE_MINUTE, Duration.ZERO);
        oneMinute.add(price("SBER", 10, "16:07:05"), "p1");
        oneMinute.add(price("SBER", 11, "16:08:00"), "p2");
        oneMinute.add(price("SBER", 7, "16:08:30"), "p3");

        Outcome<String> next = oneMinute.add(price("SBER", 20, "16:09:00"), "p4");

        assertThat(next.closed()).containsExactly(new ClosedCandle<>(
                candle("SBER", ONE_MINUTE, 11, 11, 7, 7, "16:08:00"), "p2"));
    }

    @Test
    void aWindowThatIsNeverCompletedStaysOpen() {
        CandleAggregator<String> oneMinute = aggregator(ONE_MINUTE, Duration.ZERO);

        assertThat(oneMinute.streamTime()).isNull();
        assertThat(oneMinute.add(price("SBER", 10, "16:07:05"), "p1").closed()).isEmpty();
        assertThat(oneMinute.add(price("SBER", 10, "16:07:59.999"), "p2").closed()).isEmpty();
        assertThat(oneMinute.openWindowCount()).isEqualTo(1);
        assertThat(oneMinute.streamTime()).isEqualTo(at("16:07:59.999"));
    }

    @Test
    void tickersSharingAPartitionCloseOnTheirOwnEventTime() {
        CandleAggregator<String> oneMinute = aggregator(ONE_MINUTE, Duration.ofMinutes(1));
        oneMinute.add(price("AAPL", 100, "16:07:10"), "a1");
        oneMinute.add(price("SBER", 200, "16:07:20"), "s1");

        Outcome<String> aaplMovesOn = oneMinute.add(price("AAPL", 101, "16:08:00"), "a2");
        Outcome<String> sberMovesOn = oneMinute.add(price("SBER", 201, "16:08:05"), "s2");

        assertThat(candles(aaplMovesOn)).containsExactly(candle("AAPL", ONE_MINUTE, 100, 100, 100, 100, "16:07:00"));
        assertThat(candles(sberMovesOn)).containsExactly(candle("SBER", ONE_MINUTE, 200, 200, 200, 200, "16:07:00"));
        assertThat(oneMinute.openWindowCount()).isEqualTo(2);
    }

    @Test
    void aSilentTickersWindowClosesOnceStreamTimePassesItsEndPlusGrace() {
        CandleAggregator<String> oneMinute = aggregator(ONE_MINUTE, Duration.ofSeconds(30));
        oneMinute.add(price("SBER", 200, "16:07:20"), "s1");
        oneMinute.add(price("AAPL", 100, "16:07:30"), "a1");

        Outcome<String> aaplOnly = oneMinute.add(price("AAPL", 101, "16:08:10"), "a2");
        Outcome<String> justBeforeGraceEnds = oneMinute.add(price("AAPL", 102, "16:08:29.999"), "a3");
        Outcome<String> graceEnds = oneMinute.add(price("AAPL", 103, "16:08:30"), "a4");

        assertThat(candles(aaplOnly)).containsExactly(candle("AAPL", ONE_MINUTE, 100, 100, 100, 100, "16:07:00"));
        assertThat(justBeforeGraceEnds.closed()).isEmpty();
        assertThat(graceEnds.closed()).containsExactly(new ClosedCandle<>(
                candle("SBER", ONE_MINUTE, 200, 200, 200, 200, "16:07:00"), "s1"));
        assertThat(oneMinute.openWindowCount()).isEqualTo(1);
    }

    @Test
    void withZeroGraceASilentTickersWindowClosesAtItsEnd() {
        CandleAggregator<String> oneMinute = aggregator(ONE_MINUTE, Duration.ZERO);
        oneMinute.add(price("AAPL", 100, "16:07:10"), "a1");
        oneMinute.add(price("SBER", 200, "16:07:20"), "s1");

        Outcome<String> justBeforeEnd = oneMinute.add(price("AAPL", 101, "16:07:59.999"), "a2");
        Outcome<String> atEnd = oneMinute.add(price("AAPL", 102, "16:08:00"), "a3");

        assertThat(justBeforeEnd.closed()).isEmpty();
        assertThat(candles(atEnd)).containsExactly(
                candle("AAPL", ONE_MINUTE, 100, 101, 100, 101, "16:07:00"),
                candle("SBER", ONE_MINUTE, 200, 200, 200, 200, "16:07:00"));
        assertThat(oneMinute.openWindowCount()).isEqualTo(1);
    }

    @Test
    void windowsClosedByOneAddComeOldestFirst() {
        CandleAggregator<String> oneMinute = aggregator(ONE_MINUTE, Duration.ofMinutes(3));
        oneMinute.add(price("SBER", 200, "16:05:30"), "s1");
        oneMinute.add(price("AAPL", 100, "16:07:30"), "a1");

        // AAPL closes its own 16:07 window, and stream time 16:09 passes SBER's 16:06 end + 3m.
        Outcome<String> both = oneMinute.add(price("AAPL", 101, "16:09:00"), "a2");

        assertThat(candles(both)).containsExactly(
                candle("SBER", ONE_MINUTE, 200, 200, 200, 200, "16:05:00"),
                candle("AAPL", ONE_MINUTE, 100, 100, 100, 100, "16:07:00"));
    }

    @Test
    void aLatePriceIsCountedAndNotMerged() {
        CandleAggregator<String> oneMinute = aggregator(ONE_MINUTE, Duration.ZERO);
        oneMinute.add(price("SBER", 10, "16:07:10"), "p1");
        oneMinute.add(price("SBER", 11, "16:08:00"), "p2");

        Outcome<String> late = oneMinute.add(price("SBER", 99, "16:07:30"), "late");

        assertThat(late.disposition()).isEqualTo(Disposition.LATE);
        assertThat(late.closed()).isEmpty();
        assertThat(oneMinute.lateCount()).isEqualTo(1);
        assertThat(oneMinute.streamTime()).isEqualTo(at("16:08:00"));
        assertThat(oneMinute.add(price("SBER", 12, "16:09:00"), "p3").closed()).containsExactly(
                new ClosedCandle<>(candle("SBER", ONE_MINUTE, 11, 11, 11, 11, "16:08:00"), "p2"));
    }

    @Test
    void aPriceBeforeTheOpenWindowIsLateEvenIfItsWindowNeverOpened() {
        CandleAggregator<String> oneMinute = aggregator(ONE_MINUTE, Duration.ZERO);
        oneMinute.add(price("SBER", 10, "16:08:10"), "p1");

        Outcome<String> late = oneMinute.add(price("SBER", 9, "16:07:50"), "late");

        assertThat(late.disposition()).isEqualTo(Disposition.LATE);
        assertThat(oneMinute.lateCount()).isEqualTo(1);
        assertThat(oneMinute.add(price("SBER", 12, "16:09:00"), "p2").closed()).containsExactly(
                new ClosedCandle<>(candle("SBER", ONE_MINUTE, 10, 10, 10, 10, "16:08:00"), "p1"));
    }

    @Test
    void aPriceForAWindowClosedByStreamTimeIsLate() {
        CandleAggregator<String> oneMinute = aggregator(ONE_MINUTE, Duration.ZERO);
        oneMinute.add(price("SBER", 10, "16:07:10"), "s1");
        assertThat(candles(oneMinute.add(price("AAPL", 100, "16:08:00"), "a1")))
                .containsExactly(candle("SBER", ONE_MINUTE, 10, 10, 10, 10, "16:07:00"));

        Outcome<String> late = oneMinute.add(price("SBER", 11, "16:07:50"), "late");

        assertThat(late.disposition()).isEqualTo(Disposition.LATE);
        assertThat(oneMinute.lateCount()).isEqualTo(1);
        assertThat(oneMinute.openWindowCount()).isEqualTo(1);
    }

    @Test
    void aCandleInputCompletingItsWindowClosesItAtOnce() {
        CandleAggregator<String> tenMinutes = aggregator(TEN_MINUTES, Duration.ofMinutes(1));
        tenMinutes.add(candle("SBER", TWO_MINUTES, 10, 12, 9, 11, "16:00:00"), "c0");
        tenMinutes.add(candle("SBER", TWO_MINUTES, 11, 15, 10, 14, "16:02:00"), "c2");

        // 16:04 and 16:06 never came; the 16:08 candle ends at 16:10, the window's end.
        Outcome<String> completing = tenMinutes.add(candle("SBER", TWO_MINUTES, 14, 14, 3, 5, "16:08:00"), "c8");

        assertThat(completing.closed()).containsExactly(new ClosedCandle<>(
                candle("SBER", TEN_MINUTES, 10, 15, 3, 5, "16:00:00"), "c0"));
        assertThat(tenMinutes.openWindowCount()).isZero();
        assertThat(tenMinutes.streamTime()).isEqualTo(at("16:10:00"));
    }

    @Test
    void aRedeliveredCandleIsADuplicateAndTheFirstOneWins() {
        CandleAggregator<String> twoMinutes = aggregator(TWO_MINUTES, Duration.ofSeconds(1));
        twoMinutes.add(candle("SBER", ONE_MINUTE, 10, 12, 9, 11, "16:00:00"), "m0");

        Outcome<String> again = twoMinutes.add(candle("SBER", ONE_MINUTE, 50, 50, 50, 50, "16:00:00"), "m0-again");
        Outcome<String> completing = twoMinutes.add(candle("SBER", ONE_MINUTE, 11, 15, 8, 14, "16:01:00"), "m1");
        Outcome<String> afterClose = twoMinutes.add(candle("SBER", ONE_MINUTE, 11, 15, 8, 14, "16:01:00"), "m1-again");
        Outcome<String> older = twoMinutes.add(candle("SBER", ONE_MINUTE, 10, 12, 9, 11, "16:00:00"), "m0-third");

        assertThat(again.disposition()).isEqualTo(Disposition.DUPLICATE);
        assertThat(again.closed()).isEmpty();
        assertThat(completing.closed()).containsExactly(new ClosedCandle<>(
                candle("SBER", TWO_MINUTES, 10, 15, 8, 14, "16:00:00"), "m0"));
        assertThat(afterClose.disposition()).isEqualTo(Disposition.DUPLICATE);
        assertThat(older.disposition()).isEqualTo(Disposition.DUPLICATE);
        assertThat(twoMinutes.duplicateCount()).isEqualTo(3);
        assertThat(twoMinutes.lateCount()).isZero();
        assertThat(twoMinutes.openWindowCount()).isZero();
    }

    @Test
    void aCandleForAWindowClosedWithoutItIsLateNotDuplicate() {
        CandleAggregator<String> twoMinutes = aggregator(TWO_MINUTES, Duration.ZERO);
        twoMinutes.add(candle("SBER", ONE_MINUTE, 10, 10, 10, 10, "16:00:00"), "s0");
        // AAPL's 16:02 candle ends at 16:03; SBER's 2m window ended at 16:02.
        assertThat(candles(twoMinutes.add(candle("AAPL", ONE_MINUTE, 1, 1, 1, 1, "16:02:00"), "a2")))
                .containsExactly(candle("SBER", TWO_MINUTES, 10, 10, 10, 10, "16:00:00"));

        Outcome<String> late = twoMinutes.add(candle("SBER", ONE_MINUTE, 11, 11, 11, 11, "16:01:00"), "s1");

        assertThat(late.disposition()).isEqualTo(Disposition.LATE);
        assertThat(twoMinutes.lateCount()).isEqualTo(1);
        assertThat(twoMinutes.duplicateCount()).isZero();
    }

    @Test
    void aCandleStageNeedsAGraceAboveZeroForSiblingSubCandles() {
        // All tickers' 16:01 candles end at 16:02: with grace 0 the first one closes the other windows.
        CandleAggregator<String> noGrace = aggregator(TWO_MINUTES, Duration.ZERO);
        CandleAggregator<String> withGrace = aggregator(TWO_MINUTES, Duration.ofSeconds(1));
        for (CandleAggregator<String> stage : List.of(noGrace, withGrace)) {
            stage.add(candle("AAPL", ONE_MINUTE, 1, 1, 1, 1, "16:00:00"), "a0");
            stage.add(candle("SBER", ONE_MINUTE, 2, 2, 2, 2, "16:00:00"), "s0");
            stage.add(candle("AAPL", ONE_MINUTE, 1, 1, 1, 1, "16:01:00"), "a1");
        }

        Outcome<String> lost = noGrace.add(candle("SBER", ONE_MINUTE, 3, 3, 3, 3, "16:01:00"), "s1");
        Outcome<String> kept = withGrace.add(candle("SBER", ONE_MINUTE, 3, 3, 3, 3, "16:01:00"), "s1");

        assertThat(lost.disposition()).isEqualTo(Disposition.LATE);
        assertThat(kept.closed()).containsExactly(new ClosedCandle<>(
                candle("SBER", TWO_MINUTES, 2, 3, 2, 3, "16:00:00"), "s0"));
    }

    @Test
    void aClosedCandleAndAnOpenWindowKeepTheSourceOfTheirFirstMergedObservation() {
        CandleAggregator<Integer> oneMinute = new CandleAggregator<>(ONE_MINUTE, Duration.ZERO);
        oneMinute.add(price("SBER", 1, "16:07:01"), 1);
        oneMinute.add(price("SBER", 2, "16:08:01"), 2);
        oneMinute.add(price("SBER", 3, "16:07:02"), 3);
        oneMinute.add(price("SBER", 4, "16:08:02"), 4);
        oneMinute.add(price("GAZP", 5, "16:08:30"), 5);
        oneMinute.add(price("GAZP", 6, "16:08:40"), 6);

        assertThat(oneMinute.openWindowFirstSources()).containsExactlyInAnyOrder(2, 5);

        List<ClosedCandle<Integer>> closed = oneMinute.add(price("SBER", 7, "16:09:00"), 7).closed();

        assertThat(closed).extracting(ClosedCandle::firstSource).containsExactly(2, 5);
        assertThat(oneMinute.openWindowFirstSources()).containsExactly(7);
    }

    @Test
    void rejectsCandlesOfTheWrongPeriodAndANegativeGrace() {
        CandleAggregator<String> oneMinute = aggregator(ONE_MINUTE, Duration.ZERO);
        CandleAggregator<String> twoMinutes = aggregator(TWO_MINUTES, Duration.ZERO);
        Candle oneMinuteCandle = candle("SBER", ONE_MINUTE, 1, 1, 1, 1, "16:00:00");
        Candle twoMinuteCandle = candle("SBER", TWO_MINUTES, 1, 1, 1, 1, "16:00:00");

        assertThatThrownBy(() -> oneMinute.add(oneMinuteCandle, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a 1m aggregator takes prices, not 1m candles");
        assertThatThrownBy(() -> twoMinutes.add(twoMinuteCandle, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a 2m aggregator takes 1m candles, not 2m candles");
        assertThatThrownBy(() -> new CandleAggregator<String>(ONE_MINUTE, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("grace must not be negative, was PT-1S");
        assertThat(twoMinutes.openWindowCount()).isZero();
    }
}
