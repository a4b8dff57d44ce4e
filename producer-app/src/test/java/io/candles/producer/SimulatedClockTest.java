package io.candles.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SimulatedClockTest {

    private static final Duration STEP = Duration.ofSeconds(5);
    private static final Instant WALL = Instant.parse("2026-11-21T16:00:00Z");

    @Test
    void startsAtTheWallClockOnAnEmptyTopic() {
        SimulatedClock clock = SimulatedClock.resume(Optional.empty(), Optional.empty(), WALL, STEP);

        assertThat(clock.nextRound()).isEqualTo(WALL);
        assertThat(clock.nextRound()).isEqualTo(WALL.plus(STEP));
    }

    @Test
    void aRestartResumesAfterTheNewestPriceSentEvenWhenThatIsAheadOfTheWallClock() {
        SimulatedClock firstRun = SimulatedClock.resume(Optional.empty(), Optional.empty(), WALL, STEP);
        Instant lastSent = null;
        for (int round = 0; round < 1_000; round++) { // 1000 rounds = 500 s wall, 5000 s simulated
            lastSent = firstRun.nextRound();
        }
        Instant wallAtRestart = WALL.plusSeconds(500);

        SimulatedClock secondRun = SimulatedClock.resume(Optional.empty(), Optional.of(lastSent), wallAtRestart, STEP);

        assertThat(secondRun.nextRound()).isAfter(lastSent).isEqualTo(lastSent.plus(STEP));
    }

    @Test
    void theWallClockWinsWhenTheTopicIsOlder() {
        Instant old = WALL.minusSeconds(3_600);

        assertThat(SimulatedClock.resume(Optional.empty(), Optional.of(old), WALL, STEP).nextRound()).isEqualTo(WALL);
    }

    @Test
    void aFixedStartIsUsedUnlessTheTopicIsAlreadyPastIt() {
        Instant fixed = Instant.parse("2026-01-01T00:00:00Z");

        assertThat(SimulatedClock.resume(Optional.of(fixed), Optional.empty(), WALL, STEP).nextRound())
                .isEqualTo(fixed);
        assertThat(SimulatedClock.resume(Optional.of(fixed), Optional.of(fixed.plusSeconds(60)), WALL, STEP)
                .nextRound()).isEqualTo(fixed.plusSeconds(65));
    }

    @Test
    void refusesANonPositiveStep() {
        assertThatThrownBy(() -> SimulatedClock.resume(Optional.empty(), Optional.empty(), WALL, Duration.ZERO))
                .hasMessage("simulated step must be positive, was PT0S");
    }
}
