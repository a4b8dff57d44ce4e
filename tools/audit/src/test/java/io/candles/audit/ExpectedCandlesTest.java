package io.candles.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.candles.domain.Price;
import io.candles.wire.CandleCsv;

/** The reference rules on hand-made prices, every expected candle written out (period, then its file line). */
class ExpectedCandlesTest {

    private final ExpectedCandles expected = new ExpectedCandles(Duration.ofSeconds(10));

    @Test
    void openAndCloseAreTheFirstAndLastPriceByArrivalNotByTimestamp() {
        add(0, "AAPL", 10, "16:00:30");
        add(0, "AAPL", 12, "16:00:10");
        add(0, "AAPL", 8, "16:00:50");
        add(0, "AAPL", 11, "16:00:40");
        add(0, "AAPL", 9, "16:01:05");

        assertThat(lines()).containsExactly(
                "1m AAPL,2026-11-21T16:00:00Z,10.000000,12.000000,8.000000,11.000000");
        assertThat(expected.latePrices()).isZero();
        // 1m 16:01 holds the price 9; 2m 16:00 holds the 1m candle 16:00.
        assertThat(expected.openWindows()).isEqualTo(2);
    }

    @Test
    void aPriceForAClosedWindowOrBeforeTheOpenWindowIsLateAndIgnored() {
        add(0, "AAPL", 10, "16:00:30");
        add(0, "AAPL", 11, "16:01:00"); // at the window end: closes 16:00
        add(0, "AAPL", 99, "16:00:59.999"); // late: 16:00 is closed
        add(0, "AAPL", 12, "16:03:00"); // closes 16:01
        add(0, "AAPL", 98, "16:02:30"); // late: before the open window 16:03, though 16:02 never opened
        add(0, "AAPL", 13, "16:03:10");

        assertThat(lines()).containsExactly(
                "1m AAPL,2026-11-21T16:00:00Z,10.000000,10.000000,10.000000,10.000000",
                "1m AAPL,2026-11-21T16:01:00Z,11.000000,11.000000,11.000000,11.000000",
                "2m AAPL,2026-11-21T16:00:00Z,10.000000,11.000000,10.000000,11.000000");
        assertThat(expected.latePrices()).isEqualTo(2);
        // 1m 16:03 (12, 13) and 10m 16:00 (the 2m candle 16:00).
        assertThat(expected.openWindows()).isEqualTo(2);
    }

    @Test
    void aSilentTickerClosesWhenAnotherTickerOfItsPartitionIsTheGracePastItsWindowEnd() {
        add(0, "AAPL", 10, "16:00:20");
        add(0, "SBER", 20, "16:00:30");
        add(1, "NVDA", 30, "16:00:10");
        add(0, "SBER", 21, "16:01:09.999"); // closes SBER 16:00; AAPL's 16:01 + 10s not reached yet

        assertThat(lines()).containsExactly(
                "1m SBER,2026-11-21T16:00:00Z,20.000000,20.000000,20.000000,20.000000");

        add(0, "SBER", 22, "16:01:10"); // 16:01 + 10s reached: AAPL 16:00 closes
        add(0, "SBER", 23, "16:05:00"); // closes SBER 16:01; NVDA, on partition 1, stays open

        assertThat(lines()).containsExactly(
                "1m SBER,2026-11-21T16:00:00Z,20.000000,20.000000,20.000000,20.000000",
                "1m AAPL,2026-11-21T16:00:00Z,10.000000,10.000000,10.000000,10.000000",
                "1m SBER,2026-11-21T16:01:00Z,21.000000,22.000000,21.000000,22.000000",
                "2m SBER,2026-11-21T16:00:00Z,20.000000,22.000000,20.000000,22.000000");
        assertThat(expected.latePrices()).isZero();
        // Partition 0: 1m SBER 16:05, 2m AAPL 16:00, 10m SBER 16:00. Partition 1: 1m NVDA 16:00.
        assertThat(expected.openWindows()).isEqualTo(4);
    }

    @Test
    void aCandleStageClosesASilentTickerOnTheEndOfTheCandlesItReceives() {
        add(0, "AAPL", 10, "16:00:20");
        add(0, "SBER", 20, "16:00:30");
        add(0, "SBER", 22, "16:01:10");
        add(0, "SBER", 23, "16:05:00");
        int before = expected.closed().size();
        // Closes SBER's 1m 16:05, whose end 16:06 is the 2m stage's stream time: AAPL's 2m 16:00 closes (16:02 + 10s),
        // and so does SBER's 2m 16:04, which that one candle completes; oldest window first.
        add(0, "SBER", 24, "16:06:00");

        assertThat(lines().subList(before, expected.closed().size())).containsExactly(
                "1m SBER,2026-11-21T16:05:00Z,23.000000,23.000000,23.000000,23.000000",
                "2m AAPL,2026-11-21T16:00:00Z,10.000000,10.000000,10.000000,10.000000",
                "2m SBER,2026-11-21T16:04:00Z,23.000000,23.000000,23.000000,23.000000");
        // 1m SBER 16:06, 10m AAPL 16:00 and 10m SBER 16:00 (its 2m 16:00 and 16:04).
        assertThat(expected.openWindows()).isEqualTo(3);
    }

    @Test
    void twoMinuteAndTenMinuteCandlesAreBuiltFromTheClosedCandlesOfTheStageBefore() {
        add(2, "AAPL", 10, "16:00:00");
        add(2, "AAPL", 13, "16:00:30");
        double[] minutes = {12, 9, 11, 15, 14, 8, 13, 10.5, 12.25, 7};
        for (int minute = 1; minute <= 10; minute++) {
            add(2, "AAPL", minutes[minute - 1], String.format("16:%02d:00", minute));
        }

        // Each 2m window closes with its second 1m candle, the 10m window with its fifth 2m candle.
        assertThat(lines()).containsExactly(
                "1m AAPL,2026-11-21T16:00:00Z,10.000000,13.000000,10.000000,13.000000",
                "1m AAPL,2026-11-21T16:01:00Z,12.000000,12.000000,12.000000,12.000000",
                "2m AAPL,2026-11-21T16:00:00Z,10.000000,13.000000,10.000000,12.000000",
                "1m AAPL,2026-11-21T16:02:00Z,9.000000,9.000000,9.000000,9.000000",
                "1m AAPL,2026-11-21T16:03:00Z,11.000000,11.000000,11.000000,11.000000",
                "2m AAPL,2026-11-21T16:02:00Z,9.000000,11.000000,9.000000,11.000000",
                "1m AAPL,2026-11-21T16:04:00Z,15.000000,15.000000,15.000000,15.000000",
                "1m AAPL,2026-11-21T16:05:00Z,14.000000,14.000000,14.000000,14.000000",
                "2m AAPL,2026-11-21T16:04:00Z,15.000000,15.000000,14.000000,14.000000",
                "1m AAPL,2026-11-21T16:06:00Z,8.000000,8.000000,8.000000,8.000000",
                "1m AAPL,2026-11-21T16:07:00Z,13.000000,13.000000,13.000000,13.000000",
                "2m AAPL,2026-11-21T16:06:00Z,8.000000,13.000000,8.000000,13.000000",
                "1m AAPL,2026-11-21T16:08:00Z,10.500000,10.500000,10.500000,10.500000",
                "1m AAPL,2026-11-21T16:09:00Z,12.250000,12.250000,12.250000,12.250000",
                "2m AAPL,2026-11-21T16:08:00Z,10.500000,12.250000,10.500000,12.250000",
                "10m AAPL,2026-11-21T16:00:00Z,10.000000,15.000000,8.000000,12.250000");
        assertThat(expected.latePrices()).isZero();
        assertThat(expected.openWindows()).isEqualTo(1); // 1m 16:10
    }

    @Test
    void aNegativeGraceIsRefused() {
        assertThatThrownBy(() -> new ExpectedCandles(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
    }

    private void add(int partition, String ticker, double value, String timeOfDay) {
        expected.add(partition, new Price(ticker, value, Instant.parse("2026-11-21T" + timeOfDay + "Z")));
    }

    private List<String> lines() {
        return expected.closed().stream().map(candle -> candle.period().label() + " " + CandleCsv.line(candle))
                .toList();
    }
}
