package io.candles.consumer.sink;

import static io.candles.domain.CandlePeriod.ONE_MINUTE;
import static io.candles.domain.CandlePeriod.TEN_MINUTES;
import static io.candles.domain.CandlePeriod.TWO_MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.candles.consumer.kafka.PartitionCommit;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.wire.CandleCsv;

/**
 * The sink's writer without Kafka: candles in, lines in the files, marks in a map standing for
 * {@code candles-sink-marks}, and the offset the sink would commit. A record is done (committed past) only once its
 * candle is on disk and its ticker's marks are recorded.
 */
class CandleBatchWriterTest {

    private static final Instant START = Instant.parse("2026-11-21T16:00:00Z");
    private static final int PARTITION = 0;
    /** The consumer group's generation of the assignments, in which the test's records are polled. */
    private static final int GENERATION = 7;

    @TempDir
    Path tmp;

    private Path dir;
    private CandleFiles files;
    /** Stands for candles-sink-marks, shared by every writer of a test (every instance reads the same topic). */
    private MapMarks marks;
    private long nextOffset;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("candles");
        files = new CandleFiles(dir);
        marks = new MapMarks(() -> files.forces());
    }

    @Test
    void nineCandlesOfOnePeriodAreNeitherWrittenNorDone() throws IOException {
        CandleBatchWriter writer = openedWriter(10);

        addAll(writer, series("SBER", ONE_MINUTE, 0, 9));

        assertThat(linesOf(ONE_MINUTE)).isEmpty();
        assertThat(committable(writer)).isZero();
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(9);
        assertThat(writer.written(ONE_MINUTE)).isZero();
    }

    @Test
    void theTenthCandleWritesTheBatchInTheWireFormatRecordsItsMarksAndAllTenAreDone() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 10);

        addAll(writer, candles.subList(0, 9));
        assertThat(committable(writer)).isZero();
        addAll(writer, candles.subList(9, 10));

        List<String> lines = linesOf(ONE_MINUTE);
        assertThat(lines).hasSize(10).containsExactlyElementsOf(csvLines(candles));
        assertThat(lines.get(0)).isEqualTo("SBER,2026-11-21T16:00:00Z,100.000000,101.500000,99.250000,100.125000");
        assertThat(Files.readString(files.fileOf(ONE_MINUTE))).endsWith("\n");
        assertThat(committable(writer)).isEqualTo(10);
        assertThat(marks.of(PARTITION, "SBER").newest()).containsExactly(Map.entry(ONE_MINUTE, candles.get(9).ts()));
        assertThat(writer.buffered(ONE_MINUTE)).isZero();
        assertThat(writer.written(ONE_MINUTE)).isEqualTo(10);
        assertThat(writer.batches()).isEqualTo(1);
    }

    @Test
    void twentyFiveCandlesWriteTwoBatchesAndKeepFiveBuffered() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 25);

        addAll(writer, candles);

        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(candles.subList(0, 20)));
        assertThat(committable(writer)).isEqualTo(20);
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(5);
        assertThat(writer.batches()).isEqualTo(2);
    }

    @Test
    void eachPeriodHasItsOwnBatchAndFile() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> oneMinute = series("SBER", ONE_MINUTE, 0, 9);
        List<Candle> twoMinutes = series("SBER", TWO_MINUTES, 0, 10);
        List<Candle> tenMinutes = series("SBER", TEN_MINUTES, 0, 9);

        // 27 candles interleaved: were they one buffer, two batches would have been written.
        for (int i = 0; i < 9; i++) {
            add(writer, oneMinute.get(i));
            add(writer, twoMinutes.get(i));
            add(writer, tenMinutes.get(i));
        }
        assertThat(writer.batches()).isZero();
        add(writer, twoMinutes.get(9));

        assertThat(dir.resolve("candles_2m.csv")).exists();
        assertThat(linesOf(TWO_MINUTES)).containsExactlyElementsOf(csvLines(twoMinutes));
        assertThat(linesOf(ONE_MINUTE)).isEmpty();
        assertThat(linesOf(TEN_MINUTES)).isEmpty();
        assertThat(marks.of(PARTITION, "SBER").newest()).containsExactly(
                Map.entry(TWO_MINUTES, twoMinutes.get(9).ts()));
        assertThat(committable(writer)).as("the first 1m candle is still buffered").isZero();
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(9);
        assertThat(writer.buffered(TEN_MINUTES)).isEqualTo(9);
    }

    @Test
    void flushAllWritesPartialBatchesAndAllIsDone() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> oneMinute = series("SBER", ONE_MINUTE, 0, 8);
        List<Candle> tenMinutes = series("GAZP", TEN_MINUTES, 0, 3);
        addAll(writer, oneMinute);
        addAll(writer, tenMinutes);

        assertThat(writer.flushAll()).isTrue();

        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(oneMinute));
        assertThat(linesOf(TEN_MINUTES)).containsExactlyElementsOf(csvLines(tenMinutes));
        assertThat(committable(writer)).isEqualTo(11);
        assertThat(writer.buffered(ONE_MINUTE)).isZero();
        assertThat(writer.buffered(TEN_MINUTES)).isZero();
    }

    @Test
    void aCandleNotNewerThanItsSeriesIsDroppedAndNeverWritten() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> sber = series("SBER", ONE_MINUTE, 0, 14);
        addAll(writer, sber.subList(0, 10)); // written: offsets 0..9
        add(writer, sber.get(10)); // 10
        add(writer, sber.get(12)); // 11: buffered, newest of its series

        Candle olderThanWritten = redelivered(sber.get(4));
        Candle sameAsBuffered = redelivered(sber.get(10));
        Candle olderThanBuffered = sber.get(11);
        add(writer, olderThanWritten);
        add(writer, sameAsBuffered);
        add(writer, olderThanBuffered);

        assertThat(writer.duplicates()).isEqualTo(3);
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(2);
        assertThat(committable(writer)).as("the buffered candle at 10 holds the commit").isEqualTo(10);

        // Other series with the same start are not duplicates: another ticker, another period.
        Candle otherTicker = candle("GAZP", ONE_MINUTE, 4);
        Candle otherPeriod = candle("SBER", TWO_MINUTES, 2);
        add(writer, otherTicker);
        add(writer, otherPeriod);
        assertThat(writer.duplicates()).isEqualTo(3);

        assertThat(writer.flushAll()).isTrue();
        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(
                concat(sber.subList(0, 10), List.of(sber.get(10), sber.get(12), otherTicker))));
        assertThat(linesOf(TWO_MINUTES)).containsExactly(CandleCsv.line(otherPeriod));
        assertThat(committable(writer)).isEqualTo(nextOffset);
    }

    @Test
    void aNewWriterOnTheSameDirectoryDropsRedeliveredCandlesByItsFilesAndWritesNewerOnes() throws IOException {
        List<Candle> sber = series("SBER", ONE_MINUTE, 0, 20);
        CandleBatchWriter first = openedWriter(10);
        addAll(first, sber.subList(0, 10));

        // Its marks were never recorded (a crash right after the force): the files alone say what is written.
        marks = new MapMarks(() -> files.forces());
        CandleBatchWriter second = openedWriter(10);
        nextOffset = 0;
        List<Candle> redeliveries = sber.subList(0, 10).stream().map(CandleBatchWriterTest::redelivered).toList();
        addAll(second, redeliveries);

        assertThat(second.duplicates()).isEqualTo(10);
        assertThat(second.buffered(ONE_MINUTE)).isZero();
        assertThat(committable(second)).isEqualTo(10);

        addAll(second, sber.subList(10, 20));

        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(sber));
        assertThat(committable(second)).isEqualTo(20);
    }

    @Test
    void aRevokedPartitionsCandlesAreDroppedNotDoneAndIgnoredUntilItIsAssignedAgain() throws IOException {
        CandleBatchWriter writer = openedWriter(10, 0, 1);
        List<Candle> kept = series("SBER", ONE_MINUTE, 0, 4);
        List<Candle> lost = series("GAZP", ONE_MINUTE, 0, 4);
        kept.forEach(candle -> add(writer, candle, 0));
        lost.forEach(candle -> add(writer, candle, 1));

        Map<Integer, PartitionCommit> commits = writer.close(List.of(1));

        assertThat(commits.get(1).offset()).as("none of partition 1 is done").isEqualTo(4);
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(4);
        // Until the partition comes back, its candles are ignored.
        lost.forEach(candle -> add(writer, candle, 1));
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(4);
        assertThat(writer.preCommit()).doesNotContainKey(1);

        // The eager protocol revokes everything before it assigns: every partition is read again from its commit.
        writer.close(List.of(0));
        writer.open(List.of(0, 1), GENERATION);
        assertThat(writer.prepare()).isTrue();
        nextOffset = 0;
        kept.forEach(candle -> add(writer, candle, 0));
        lost.forEach(candle -> add(writer, candle, 1));
        assertThat(writer.duplicates()).isZero();
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(8);

        assertThat(writer.flushAll()).isTrue();
        assertThat(linesOf(ONE_MINUTE)).containsExactlyInAnyOrderElementsOf(csvLines(concat(kept, lost)));
        assertThat(writer.preCommit()).containsOnly(Map.entry(0, new PartitionCommit(4, null)),
                Map.entry(1, new PartitionCommit(8, null)));
    }

    @Test
    void aRevocationCommitsUpToTheFirstCandleNotWrittenAndTheNextOwnerDropsWhatWasWritten() throws IOException {
        CandleBatchWriter writer = openedWriter(10, 2);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 13);
        nextOffset = 100;
        candles.forEach(candle -> add(writer, candle, 2));
        // Offsets 100..109 written as one batch, 110..112 buffered.

        Map<Integer, PartitionCommit> commits = writer.close(List.of(2));

        assertThat(commits).containsOnlyKeys(2);
        assertThat(commits.get(2).offset()).isEqualTo(110L);
        assertThat(writer.buffered(ONE_MINUTE)).isZero();
        assertThat(linesOf(ONE_MINUTE)).hasSize(10);

        // The next owner, writing to other files, reads the marks and drops those candles again.
        CandleBatchWriter nextOwner = openedWriter(new CandleFiles(tmp.resolve("next-owner")), 10, 2);
        nextOffset = 100;
        candles.forEach(candle -> add(nextOwner, candle, 2));
        assertThat(nextOwner.duplicates()).isEqualTo(10);
        assertThat(nextOwner.buffered(ONE_MINUTE)).isEqualTo(3);
    }

    @Test
    void anAssignmentStartsEveryPartitionAfreshAndDropsWhatAPartitionLostWithoutARevocationBuffered()
            throws IOException {
        CandleBatchWriter writer = openedWriter(10, 0, 1);
        series("SBER", ONE_MINUTE, 0, 3).forEach(candle -> add(writer, candle, 0));
        series("GAZP", ONE_MINUTE, 0, 4).forEach(candle -> add(writer, candle, 1));

        writer.open(List.of(0), GENERATION); // partition 1 was lost: no revocation was heard of

        assertThat(writer.buffered(ONE_MINUTE)).isZero();
        assertThat(writer.preCommit()).isEmpty();
    }

    @Test
    void tickersThatHoldSpacesAreRecordedAndRecognisedByTheNextOwner() throws IOException {
        CandleBatchWriter writer = openedWriter(1, 2);
        Candle spaced = new Candle("BRK B", ONE_MINUTE, 1, 1, 1, 1, Instant.parse("2026-11-21T16:07:00Z"));
        add(writer, spaced, 2);
        writer.close(List.of(2));

        CandleBatchWriter nextOwner = openedWriter(new CandleFiles(tmp.resolve("next")), 1, 2);
        add(nextOwner, redelivered(spaced), 2);

        assertThat(nextOwner.duplicates()).isEqualTo(1);
    }

    @Test
    void aTickerIsRecordedBeforeItsFirstCandleIsForcedAndItsMarksAfterEveryForce() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 20);

        writer.addDelivery(deliveredAll(candles.subList(0, 10), 0));
        writer.addDelivery(deliveredAll(candles.subList(10, 20), 10));

        assertThat(marks.writes()).extracting(MapMarks.Write::forcesBefore).containsExactly(0L, 1L, 2L);
        assertThat(marks.writes().get(0).marks()).containsExactly(
                Map.entry(PARTITION, Map.of("SBER", TickerMarks.NONE)));
        assertThat(marks.writes().get(1).marks().get(PARTITION).get("SBER").newest().get(ONE_MINUTE))
                .isEqualTo(candles.get(9).ts());
        assertThat(marks.writes().get(2).marks().get(PARTITION).get("SBER").newest().get(ONE_MINUTE))
                .isEqualTo(candles.get(19).ts());
    }

    @Test
    void candlesOnDiskAreNotDoneUntilTheirMarksAreRecordedAndARetryRecordsThem() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 10);
        add(writer, candles.get(0)); // records SBER's first record
        marks.refuseWrites = true;

        assertThat(writer.addDelivery(deliveredAll(candles.subList(1, 10), 1))).isFalse();

        assertThat(linesOf(ONE_MINUTE)).hasSize(10);
        assertThat(committable(writer)).as("on disk, but the next owner would not know").isZero();
        assertThat(writer.failure()).contains("candles-sink-marks", "broker away");
        assertThat(writer.prepare()).isFalse();

        marks.refuseWrites = false;
        assertThat(writer.prepare()).isTrue();

        assertThat(writer.failure()).isNull();
        assertThat(committable(writer)).isEqualTo(10);
        assertThat(marks.of(PARTITION, "SBER").newest().get(ONE_MINUTE)).isEqualTo(candles.get(9).ts());
        assertThat(linesOf(ONE_MINUTE)).as("nothing written twice").hasSize(10);
    }

    @Test
    void aRestartRecordsWhatItsFilesHoldBeyondTheMarksSoThatTheNextOwnerDoesNotWriteItAgain() throws IOException {
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 20);
        CandleBatchWriter crashed = openedWriter(10);
        addAll(crashed, candles.subList(0, 10));
        marks.refuseWrites = true;
        addAll(crashed, candles.subList(10, 20)); // forced, then the crash: its marks never recorded
        marks.refuseWrites = false;
        crashed.close(); // the process is gone: its lock goes with it
        assertThat(marks.of(PARTITION, "SBER").newest().get(ONE_MINUTE)).isEqualTo(candles.get(9).ts());

        // The restart is assigned the partition again and records, from its files, before it takes a candle ...
        CandleBatchWriter restarted = openedWriter(new CandleFiles(dir), 10, PARTITION);
        assertThat(marks.of(PARTITION, "SBER").newest().get(ONE_MINUTE)).isEqualTo(candles.get(19).ts());
        // ... so when a rebalance hands the partition over before it read that far, nothing is written twice.
        restarted.close(List.of(PARTITION));
        CandleBatchWriter nextOwner = openedWriter(new CandleFiles(tmp.resolve("next-owner")), 10, PARTITION);
        nextOffset = 10;
        addAll(nextOwner, candles.subList(10, 20));
        assertThat(nextOwner.duplicates()).isEqualTo(10);
        assertThat(nextOwner.buffered(ONE_MINUTE)).isZero();
    }

    @Test
    void aPartialRepeatOfAWrittenWindowIsDroppedByTheNextOwnerAfterACrashWithoutReturn() throws IOException {
        CandleBatchWriter crashed = openedWriter(1);
        Candle complete = candle("SBER", ONE_MINUTE, 7);
        add(crashed, complete);
        // Never closed, never revoked: the instance is gone. A stage that re-read its prices publishes the window
        // again, built from part of them.
        Candle partialRepeat = new Candle("SBER", ONE_MINUTE, 105, 106, 104, 105, complete.ts());

        CandleBatchWriter nextOwner = openedWriter(new CandleFiles(tmp.resolve("next-owner")), 1, PARTITION);
        add(nextOwner, partialRepeat);

        assertThat(nextOwner.duplicates()).isEqualTo(1);
        assertThat(nextOwner.written(ONE_MINUTE)).isZero();
    }

    @Test
    void marksThatCannotBeReadKeepThePartitionsCandlesOutUntilTheyCan() throws IOException {
        CandleBatchWriter writer = new CandleBatchWriter(files, 10, marks);
        assertThat(writer.recover()).isTrue();
        writer.open(List.of(PARTITION), GENERATION);
        marks.refuseReads = true;

        assertThat(writer.prepare()).isFalse();
        assertThat(writer.failure()).contains("partition 0", "candles-sink-marks", "broker away");

        marks.refuseReads = false;
        assertThat(writer.prepare()).isTrue();
        addAll(writer, series("SBER", ONE_MINUTE, 0, 10));
        assertThat(linesOf(ONE_MINUTE)).hasSize(10);
    }

    @Test
    void aDeliveryPolledBeforeThePartitionWasAssignedAgainIsIgnored() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 12);
        addAll(writer, candles.subList(0, 5));
        writer.close(List.of(PARTITION));
        writer.open(List.of(PARTITION), GENERATION + 1);
        assertThat(writer.prepare()).isTrue();

        // The rest of a delivery polled in the old generation, still in the sink's hands when the rebalance came.
        writer.addDelivery(IntStream.range(5, 12).mapToObj(i -> new CandleBatchWriter.Delivered(candles.get(i),
                PARTITION, i, GENERATION)).toList());

        assertThat(writer.buffered(ONE_MINUTE)).isZero();
        assertThat(writer.preCommit()).as("nothing seen in this generation").isEmpty();
        // Read again from the commit, in the new generation: every candle is taken, none dropped as a repeat.
        writer.addDelivery(IntStream.range(0, 12).mapToObj(i -> new CandleBatchWriter.Delivered(candles.get(i),
                PARTITION, i, GENERATION + 1)).toList());
        assertThat(writer.duplicates()).isZero();
        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(candles.subList(0, 10)));
    }

    @Test
    void aLostPartitionIsDroppedWithNothingMoreRecordedOrCommittedForIt() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 10);
        addAll(writer, candles.subList(0, 9));
        int writesBefore = marks.writes().size();

        writer.lose(List.of(PARTITION));
        addAll(writer, candles.subList(9, 10));

        assertThat(writer.buffered(ONE_MINUTE)).isZero();
        assertThat(writer.preCommit()).isEmpty();
        assertThat(writer.flushAll()).isTrue();
        assertThat(linesOf(ONE_MINUTE)).isEmpty();
        assertThat(marks.writes()).hasSize(writesBefore);
    }

    @Test
    void recoverFailsNamingThePathWhenTheOutputDirectoryIsAFile() throws IOException {
        Files.writeString(dir, "a regular file where the directory should be");
        CandleBatchWriter writer = new CandleBatchWriter(files, 10, marks);

        assertThat(writer.recover()).isFalse();

        assertThat(writer.failure()).contains(dir.toString());
        Candle candle = candle("SBER", ONE_MINUTE, 0);
        assertThatThrownBy(() -> writer.addDelivery(List.of(new CandleBatchWriter.Delivered(candle, PARTITION, 0, GENERATION))))
                .isInstanceOf(IllegalStateException.class);

        Files.delete(dir);
        assertThat(writer.recover()).isTrue();
        assertThat(writer.failure()).isNull();
        assertThat(dir).isDirectory();
    }

    @Test
    void aBatchThatCannotBeWrittenIsNotDoneUntilARetrySucceeds() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        Path away = tmp.resolve("moved-away");
        Files.move(dir, away);
        Files.writeString(dir, "a regular file where the directory should be");
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 10);

        addAll(writer, candles);

        assertThat(committable(writer)).isZero();
        assertThat(writer.failure()).contains(dir.toString());
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(10);
        assertThat(writer.prepare()).isFalse();
        assertThat(committable(writer)).isZero();

        Files.delete(dir);
        Files.move(away, dir);

        assertThat(writer.prepare()).isTrue();
        assertThat(writer.failure()).isNull();
        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(candles));
        assertThat(committable(writer)).isEqualTo(10);
        assertThat(writer.buffered(ONE_MINUTE)).isZero();

        // Nothing is written twice by a further retry.
        assertThat(writer.prepare()).isTrue();
        assertThat(linesOf(ONE_MINUTE)).hasSize(10);
    }

    @Test
    void aBatchSizeBelowOneIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new CandleBatchWriter(files, 0, marks))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("candles.batch-size");
        assertThatThrownBy(() -> new CandleBatchWriter(files, -1, marks))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("candles.batch-size");
    }

    @Test
    void flushOlderThanWritesOnlyPartialBatchesThatWaitedLongEnough() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> oneMinute = series("SBER", ONE_MINUTE, 0, 3);
        List<Candle> twoMinutes = series("SBER", TWO_MINUTES, 0, 2);
        addAll(writer, oneMinute);
        addAll(writer, twoMinutes);

        assertThat(writer.flushOlderThan(Duration.ofHours(1))).isTrue();

        assertThat(linesOf(ONE_MINUTE)).isEmpty();
        assertThat(linesOf(TWO_MINUTES)).isEmpty();
        assertThat(committable(writer)).isZero();

        assertThat(writer.flushOlderThan(Duration.ZERO)).isTrue();

        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(oneMinute));
        assertThat(linesOf(TWO_MINUTES)).containsExactlyElementsOf(csvLines(twoMinutes));
        assertThat(committable(writer)).isEqualTo(5);
    }

    @Test
    void aDeliveryIsForcedOncePerFileAndItsMarksRecordedOnceAfterTheForces() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> oneMinute = series("SBER", ONE_MINUTE, 0, 30);
        List<Candle> twoMinutes = series("SBER", TWO_MINUTES, 0, 20);
        List<Candle> tenMinutes = series("SBER", TEN_MINUTES, 0, 10);
        List<CandleBatchWriter.Delivered> delivery = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            delivery.add(delivered(oneMinute.get(i), 100 + i));
            if (i < 20) {
                delivery.add(delivered(twoMinutes.get(i), 200 + i));
            }
            if (i < 10) {
                delivery.add(delivered(tenMinutes.get(i), 300 + i));
            }
        }

        assertThat(writer.addDelivery(delivery)).isTrue();

        // Six appends of ten, three files, three forces; the marks recorded once, after all of them.
        assertThat(writer.batches()).isEqualTo(6);
        assertThat(files.forces()).isEqualTo(3);
        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(oneMinute));
        assertThat(linesOf(TWO_MINUTES)).containsExactlyElementsOf(csvLines(twoMinutes));
        assertThat(linesOf(TEN_MINUTES)).containsExactlyElementsOf(csvLines(tenMinutes));
        assertThat(marks.writes()).extracting(MapMarks.Write::forcesBefore).containsExactly(0L, 3L);
        assertThat(committable(writer)).isEqualTo(310);
    }

    @Test
    void aDeliveryWithoutAFullBatchForcesNothingAndTheFlushesForceBeforeTheyRecord() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> oneMinute = series("SBER", ONE_MINUTE, 0, 4);
        List<Candle> twoMinutes = series("SBER", TWO_MINUTES, 0, 3);
        writer.addDelivery(concat(deliveredAll(oneMinute, 100), deliveredAll(twoMinutes, 200)));
        assertThat(files.forces()).isZero();
        assertThat(committable(writer)).isEqualTo(100);

        assertThat(writer.flushOlderThan(Duration.ZERO)).isTrue(); // the linger

        assertThat(files.forces()).isEqualTo(2);
        assertThat(marks.writes()).extracting(MapMarks.Write::forcesBefore).containsExactly(0L, 2L);
        assertThat(committable(writer)).isEqualTo(203);

        List<Candle> more = series("SBER", ONE_MINUTE, 4, 2);
        writer.addDelivery(deliveredAll(more, 204));
        assertThat(writer.flushAll()).isTrue(); // the shutdown

        assertThat(files.forces()).isEqualTo(3);
        assertThat(marks.writes()).extracting(MapMarks.Write::forcesBefore).containsExactly(0L, 2L, 3L);
        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(concat(oneMinute, more)));
        assertThat(committable(writer)).isEqualTo(206);
    }

    @Test
    void aFailedForceLeavesTheFileAtItsForcedLengthAndNothingOfItDoneUntilARetrySucceeds() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 20);
        assertThat(writer.addDelivery(deliveredAll(candles.subList(0, 10), 100))).isTrue();
        // The directory is moved away while its file is open: appending to the open file still works, but forcing
        // it would save nothing where the files are expected.
        Path away = tmp.resolve("moved-away");
        Files.move(dir, away);
        Files.writeString(dir, "a regular file where the directory should be");

        assertThat(writer.addDelivery(deliveredAll(candles.subList(10, 20), 110))).isFalse();

        assertThat(committable(writer)).isEqualTo(110);
        assertThat(writer.failure()).contains(files.fileOf(ONE_MINUTE).toString());
        assertThat(Files.readAllLines(away.resolve("candles_1m.csv"))).containsExactlyElementsOf(
                csvLines(candles.subList(0, 10)));
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(10);
        assertThat(writer.written(ONE_MINUTE)).isEqualTo(10);
        assertThat(writer.prepare()).isFalse();
        assertThat(committable(writer)).isEqualTo(110);

        Files.delete(dir);
        Files.move(away, dir);
        long forcesBeforeRetry = files.forces();

        assertThat(writer.prepare()).isTrue();
        assertThat(writer.failure()).isNull();
        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(candles));
        assertThat(committable(writer)).isEqualTo(120);
        assertThat(marks.writes()).last().extracting(MapMarks.Write::forcesBefore).isEqualTo(forcesBeforeRetry + 1);
        assertThat(writer.written(ONE_MINUTE)).isEqualTo(20);
    }

    @Test
    void aWriteThatFailsCutsBackTheOtherFilesAppendedInTheSameDeliveryAndNothingIsDone() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        Files.createDirectory(files.fileOf(TWO_MINUTES)); // 2m cannot be opened; 1m is appended before it fails
        List<Candle> oneMinute = series("SBER", ONE_MINUTE, 0, 10);
        List<Candle> twoMinutes = series("SBER", TWO_MINUTES, 0, 10);

        assertThat(writer.addDelivery(concat(deliveredAll(oneMinute, 100), deliveredAll(twoMinutes, 200)))).isFalse();

        assertThat(committable(writer)).isEqualTo(100);
        assertThat(files.forces()).isZero();
        assertThat(linesOf(ONE_MINUTE)).isEmpty();
        assertThat(writer.failure()).contains(files.fileOf(TWO_MINUTES).toString());
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(10);

        Files.delete(files.fileOf(TWO_MINUTES));
        assertThat(writer.prepare()).isTrue();

        // The 1m batch is appended again, once: no line twice.
        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(oneMinute));
        assertThat(linesOf(TWO_MINUTES)).containsExactlyElementsOf(csvLines(twoMinutes));
        assertThat(committable(writer)).isEqualTo(210);
        assertThat(marks.writes()).last().extracting(MapMarks.Write::forcesBefore).isEqualTo(2L);
    }

    @Test
    void aRevocationAfterAFailedForceCommitsAndHandsOverOnlyWhatWasForced() throws IOException {
        CandleBatchWriter writer = openedWriter(10, 2);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 20);
        List<CandleBatchWriter.Delivered> delivery = new ArrayList<>();
        for (int offset = 0; offset < 20; offset++) {
            delivery.add(new CandleBatchWriter.Delivered(candles.get(offset), 2, 100 + offset, GENERATION));
        }
        assertThat(writer.addDelivery(delivery.subList(0, 10))).isTrue();
        Files.move(dir, tmp.resolve("moved-away"));
        assertThat(writer.addDelivery(delivery.subList(10, 20))).isFalse(); // appended, not forced

        Map<Integer, PartitionCommit> commits = writer.close(List.of(2));

        assertThat(commits.get(2).offset()).isEqualTo(110L);
        CandleBatchWriter nextOwner = openedWriter(new CandleFiles(tmp.resolve("next-owner")), 10, 2);
        assertThat(nextOwner.addDelivery(delivery)).isTrue();
        // The unforced candles are not in the marks: the next owner writes them.
        assertThat(nextOwner.duplicates()).isEqualTo(10);
        assertThat(nextOwner.written(ONE_MINUTE)).isEqualTo(10);
    }

    @Test
    void aRecordThatIsNotACandleIsDoneInItsPlace() throws IOException {
        CandleBatchWriter writer = openedWriter(10, 2);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 3);

        writer.addDelivery(List.of(
                new CandleBatchWriter.Delivered(null, 2, 99, GENERATION),
                new CandleBatchWriter.Delivered(candles.get(0), 2, 100, GENERATION),
                new CandleBatchWriter.Delivered(null, 2, 101, GENERATION)));

        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(1);
        assertThat(writer.close(List.of(2)).get(2).offset()).isEqualTo(100L);
    }

    @Test
    void filesClosedOnShutdownAreOpenedAgainByTheNextAppend() throws IOException {
        CandleBatchWriter writer = openedWriter(10);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 20);
        writer.addDelivery(deliveredAll(candles.subList(0, 10), 100));

        writer.close();
        writer.addDelivery(deliveredAll(candles.subList(10, 20), 110));

        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(candles));
        assertThat(committable(writer)).isEqualTo(120);
    }

    /** A writer on the test's directory that owns these partitions (default: {@link #PARTITION}), ready. */
    private CandleBatchWriter openedWriter(int batchSize, Integer... partitions) {
        return openedWriter(files, batchSize, partitions);
    }

    private CandleBatchWriter openedWriter(CandleFiles on, int batchSize, Integer... partitions) {
        CandleBatchWriter writer = new CandleBatchWriter(on, batchSize, marks);
        assertThat(writer.recover()).as("recover(): %s", writer.failure()).isTrue();
        writer.open(partitions.length == 0 ? List.of(PARTITION) : List.of(partitions), GENERATION);
        assertThat(writer.prepare()).as("prepare(): %s", writer.failure()).isTrue();
        return writer;
    }

    /** The offset the writer would commit for {@link #PARTITION}: its first record not done. */
    private static long committable(CandleBatchWriter writer) {
        return writer.preCommit().get(PARTITION).offset();
    }

    private void add(CandleBatchWriter writer, Candle candle) {
        add(writer, candle, PARTITION);
    }

    /** One delivery of one candle, at the next offset. */
    private void add(CandleBatchWriter writer, Candle candle, int partition) {
        writer.addDelivery(List.of(new CandleBatchWriter.Delivered(candle, partition, nextOffset++, GENERATION)));
    }

    private void addAll(CandleBatchWriter writer, List<Candle> candles) {
        candles.forEach(candle -> add(writer, candle));
    }

    private static CandleBatchWriter.Delivered delivered(Candle candle, long offset) {
        return new CandleBatchWriter.Delivered(candle, PARTITION, offset, GENERATION);
    }

    /** The candles as one delivery, at consecutive offsets from {@code firstOffset}. */
    private static List<CandleBatchWriter.Delivered> deliveredAll(List<Candle> candles, long firstOffset) {
        return IntStream.range(0, candles.size()).mapToObj(i -> delivered(candles.get(i), firstOffset + i)).toList();
    }

    /** The lines of a period's file; none when the file does not exist. */
    private List<String> linesOf(CandlePeriod period) throws IOException {
        Path file = files.fileOf(period);
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    /** Consecutive candles of one series, windows {@code first} to {@code first + count - 1}. */
    private static List<Candle> series(String ticker, CandlePeriod period, int first, int count) {
        return IntStream.range(first, first + count).mapToObj(i -> candle(ticker, period, i)).toList();
    }

    private static Candle candle(String ticker, CandlePeriod period, int window) {
        return new Candle(ticker, period, 100 + window, 101.5 + window, 99.25 + window, 100.125 + window,
                START.plus(period.duration().multipliedBy(window)));
    }

    /** The same series and start with other values: a redelivery, which must not overwrite the first. */
    private static Candle redelivered(Candle candle) {
        return new Candle(candle.ticker(), candle.period(), candle.open() + 1, candle.high() + 1, candle.low() + 1,
                candle.close() + 1, candle.ts());
    }

    private static List<String> csvLines(List<Candle> candles) {
        return candles.stream().map(CandleCsv::line).toList();
    }

    private static <T> List<T> concat(List<? extends T> first, List<? extends T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
