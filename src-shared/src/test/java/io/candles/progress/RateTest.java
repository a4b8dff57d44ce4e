package io.candles.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateTest {

    @Test
    void eachReadingIsTheGrowthPerSecondSinceThePreviousOne() {
        AtomicLong nanos = new AtomicLong(5_000_000_000L);
        Rate rate = new Rate(nanos::get);

        nanos.addAndGet(2_000_000_000L);
        assertThat(rate.next(1_000)).isEqualTo(500.0);
        nanos.addAndGet(500_000_000L);
        assertThat(rate.next(1_250)).isEqualTo(500.0);
        nanos.addAndGet(1_000_000_000L);
        assertThat(rate.next(1_250)).isZero();
    }

    @Test
    void twoReadingsInTheSameNanosecondDoNotDivideByZero() {
        Rate rate = new Rate(() -> 42L);
        assertThat(rate.next(7)).isEqualTo(7e9);
    }
}
