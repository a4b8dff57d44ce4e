package io.candles.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {

    private static final DateTimeFormatter JDK_MILLIS = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    @Test
    void formatsAndParsesExactlyLikeTheJdkAcrossTheRangeOfEpochMillis() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            // Years -300000000 .. +300000000 at times, mostly near now.
            long millis = i % 10 == 0 ? random.nextLong(-9_000_000_000_000_000L, 9_000_000_000_000_000L)
                    : random.nextLong(-70_000_000_000_000L, 260_000_000_000_000L);
            Instant ts = Instant.ofEpochMilli(millis).plusNanos(random.nextInt(1_000_000));
            String jdk = JDK_MILLIS.format(ts);

            assertThat(IsoInstants.formatMillis(ts)).isEqualTo(jdk);
            assertThat(IsoInstants.parse(jdk)).isEqualTo(Instant.parse(jdk));
            String nanos = ts.toString();
            assertThat(IsoInstants.parse(nanos)).as(nanos).isEqualTo(Instant.parse(nanos));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "2026-11-21T16:07:31Z", "2026-11-21T16:07:31.2Z", "2026-11-21T16:07:31.250Z",
            "2026-11-21T16:07:31.123456789Z", "2024-02-29T00:00:00Z", "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59.999Z", "2026-11-21T16:07:31+03:00",
            "2026-11-21T16:07:31.250z", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
            "2026-12-31T23:59:60Z", "2026-11-21T16:07:31.Z" })
    void readsWhatTheJdkReads(String text) {
        assertThat(IsoInstants.parse(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-21T25:00:00Z",
            "2026-11-21T16:07:31.1234567890Z", "2026-11-21 16:07:31Z", "2026-11-21T16:07Z",
            "2026-1a-21T16:07:31Z", "yesterday", "" })
    void rejectsWhatTheJdkRejects(String text) {
        assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> IsoInstants.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
