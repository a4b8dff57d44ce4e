package io.candles.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.candles.domain.InvalidRecordException;

class StreamTimeTest {

    private static final Instant T = Instant.parse("2026-11-21T16:00:00Z");
    private static final long NO_TIMESTAMP = -1;

    private final StreamTime streamTime = new StreamTime(Duration.ofHours(1), "candles.max-ahead");

    @Test
    void aTsMoreThanMaxAheadOfTheStreamTimeAndOfWhenItWasProducedIsRefusedNamingBoth() {
        streamTime.accept(0, T, T.toEpochMilli());
        Instant far = Instant.parse("2200-01-01T00:00:00Z");

        assertThatThrownBy(() -> streamTime.accept(0, far, T.plusSeconds(5).toEpochMilli()))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("ts too far ahead: 2200-01-01T00:00:00Z is more than PT1H (candles.max-ahead)")
                .hasMessageContaining(T + ", the newest ts of partition 0")
                .hasMessageContaining(T.plusSeconds(5) + ", when the record was produced");
        // It did not move the stream time: the next regular record is fine.
        assertThatCode(() -> streamTime.accept(0, T.plusSeconds(10), NO_TIMESTAMP)).doesNotThrowAnyException();
    }

    @Test
    void aFeedResumingAfterAPauseLongerThanMaxAheadIsAcceptedBecauseItWasProducedThatLate() {
        streamTime.accept(0, T, T.toEpochMilli());
        Instant nextMorning = T.plus(Duration.ofHours(16));

        assertThatCode(() -> streamTime.accept(0, nextMorning, nextMorning.plusMillis(3).toEpochMilli()))
                .doesNotThrowAnyException();
        assertThatCode(() -> streamTime.accept(0, nextMorning.plusSeconds(5), NO_TIMESTAMP))
                .doesNotThrowAnyException();
    }

    @Test
    void simulatedTimeRunningAheadOfTheWallClockIsBoundedByTheStreamTime() {
        Instant ahead = T.plus(Duration.ofDays(3));
        streamTime.seed(1, ahead);

        assertThatCode(() -> streamTime.accept(1, ahead.plusSeconds(5), T.toEpochMilli())).doesNotThrowAnyException();
        assertThatThrownBy(() -> streamTime.accept(1, ahead.plus(Duration.ofHours(2)), T.toEpochMilli()))
                .hasMessageContaining(ahead.plusSeconds(5) + ", the newest ts of partition 1");
    }

    @Test
    void aSeededPartitionJudgesItsFirstRecordAnUnseededOneTakesIt() {
        Instant far = Instant.parse("2200-01-01T00:00:00Z");
        streamTime.seed(1, T);

        assertThatThrownBy(() -> streamTime.accept(1, far, T.toEpochMilli()))
                .hasMessageContaining("after " + T + ", the newest ts of partition 1");
        assertThatCode(() -> streamTime.accept(4, far, T.toEpochMilli())).doesNotThrowAnyException();
        assertThat(streamTime.of(4)).contains(far);
        assertThat(streamTime.of(5)).isEmpty();
    }

    @Test
    void withoutARecordTimestampOnlyTheStreamTimeBounds() {
        assertThatCode(() -> streamTime.accept(2, T, NO_TIMESTAMP)).doesNotThrowAnyException();
        assertThatThrownBy(() -> streamTime.accept(2, T.plus(Duration.ofHours(2)), NO_TIMESTAMP))
                .hasMessageContaining(T + ", the newest ts of partition 2")
                .hasMessageNotContaining("produced");
    }

    @Test
    void aForgottenPartitionStartsOver() {
        streamTime.accept(3, T, NO_TIMESTAMP);
        streamTime.forget(3);

        assertThatCode(() -> streamTime.accept(3, T.plus(Duration.ofDays(1)), NO_TIMESTAMP))
                .doesNotThrowAnyException();
    }
}
