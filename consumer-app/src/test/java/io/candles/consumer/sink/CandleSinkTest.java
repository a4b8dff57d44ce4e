package io.candles.consumer.sink;

import static io.candles.domain.CandlePeriod.ONE_MINUTE;
import static io.candles.domain.CandlePeriod.TWO_MINUTES;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.candles.consumer.CandlesConfig;
import io.candles.consumer.Polls;
import io.candles.consumer.kafka.PartitionCommit;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.wire.Topics;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecordBatch;

/** The sink without Quarkus: how one delivered batch reaches the files. */
class CandleSinkTest {

    private static final Instant START = Instant.parse("2026-11-21T16:00:00Z");

    @TempDir
    Path dir;

    @Test
    void oneDeliveredBatchIsForcedOncePerFileThenItsMarksAreRecordedAndItIsDone() throws Exception {
        CandleFiles files = new CandleFiles(dir);
        MapMarks marks = new MapMarks(files::forces);
        CandleSink sink = assigned(new CandleSink(new Settings(dir), files, marks));
        List<Candle> candles = new ArrayList<>(series(ONE_MINUTE, 30));
        candles.addAll(series(TWO_MINUTES, 20));

        sink.onBatch(poll(candles));

        // Five appends of ten, two files, two forces, then the marks (after the ticker's first record), then done.
        assertThat(sink.writer().batches()).isEqualTo(5);
        assertThat(files.forces()).isEqualTo(2);
        assertThat(marks.writes()).extracting(MapMarks.Write::forcesBefore).containsExactly(0L, 2L);
        assertThat(sink.preCommit()).containsEntry(0, new PartitionCommit(50, null));
        assertThat(Files.readAllLines(files.fileOf(ONE_MINUTE))).hasSize(30);
        assertThat(Files.readAllLines(files.fileOf(TWO_MINUTES))).hasSize(20);
    }

    @Test
    void aCandleFarAheadOfItsPartitionsStreamTimeIsSkippedAndTheSeriesGoesOn() throws Exception {
        CandleFiles files = new CandleFiles(dir);
        CandleSink sink = assigned(new CandleSink(new Settings(dir), files, new MapMarks(files::forces)));
        List<Candle> candles = new ArrayList<>(series(ONE_MINUTE, 20));
        // Within an hour of the newest (16:19): taken. Beyond it: skipped, as the 2m stage dead-letters it.
        candles.add(5, new Candle("SBER", ONE_MINUTE, 1, 1, 1, 1, Instant.parse("2200-01-01T00:00:00Z")));
        candles.add(new Candle("SBER", ONE_MINUTE, 1, 1, 1, 1, Instant.parse("2026-11-21T17:19:00Z")));

        sink.onBatch(poll(candles));
        sink.flushOnShutdown();

        List<String> lines = Files.readAllLines(files.fileOf(ONE_MINUTE));
        assertThat(lines).hasSize(21).noneMatch(line -> line.contains("2200-"));
        assertThat(lines.get(20)).startsWith("SBER,2026-11-21T17:19:00Z");
        assertThat(sink.unreadable()).isEqualTo(1);
    }

    /** A sink that owns partition 0 of candles, never committed. */
    private static CandleSink assigned(CandleSink sink) {
        Map<Integer, String> assignment = new HashMap<>();
        assignment.put(0, null);
        sink.open(assignment, 1);
        return sink;
    }

    private static IncomingKafkaRecordBatch<String, Candle> poll(List<Candle> candles) {
        return Polls.of(CandleSink.CHANNEL, Topics.CANDLES, 0, 0, 1, candles);
    }

    private static List<Candle> series(CandlePeriod period, int count) {
        return IntStream.range(0, count).mapToObj(i -> new Candle("SBER", period, 1, 1, 1, 1,
                START.plus(period.duration().multipliedBy(i)))).toList();
    }

    /** The defaults of application.properties, writing to the test's directory. */
    private record Settings(Path outputDir) implements CandlesConfig {

        @Override
        public int batchSize() {
            return 10;
        }

        @Override
        public Optional<Duration> linger() {
            return Optional.empty();
        }

        @Override
        public Duration grace() {
            return Duration.ofSeconds(10);
        }

        @Override
        public Duration maxAhead() {
            return Duration.ofHours(1);
        }

        @Override
        public String instanceId() {
            return "test";
        }

        @Override
        public Duration commitInterval() {
            return Duration.ofSeconds(1);
        }

        @Override
        public Duration progressInterval() {
            return Duration.ofSeconds(5);
        }

        @Override
        public Duration shutdownTimeout() {
            return Duration.ofSeconds(20);
        }
    }
}
