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
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.candles.consumer.PartitionCommit;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.wire.CandleCsv;

class CandleBatchWriterTest {

    private static final Instant START = Instant.parse("2026-11-21T16:00:00Z");
    private static final int PARTITION = 0;

    @TempDir
    Path tmp;

    private Path dir;
    private CandleFiles files;
    /** One entry per acknowledgement that ran, so an acknowledgement run twice shows up twice. */
    private final List<String> acked = new ArrayList<>();
    /** For each acknowledgement, in order, how many times the files had been forced when it ran. */
    private final List<Long> forcesSeenByAcks = new ArrayList<>();

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("candles");
        files = new CandleFiles(dir);
    }

    @Test
    void nineCandlesOfOnePeriodAreNeitherWrittenNorAcknowledged() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);

        addAll(writer, series("SBER", ONE_MINUTE, 0, 9));

        assertThat(linesOf(ONE_MINUTE)).isEmpty();
        assertThat(acked).isEmpty();
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(9);
        assertThat(writer.written(ONE_MINUTE)).isZero();
    }

    @Test
    void theTenthCandleWritesTheBatchInTheWireFormatAndAcknowledgesAllTen() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 10);

        addAll(writer, candles.subList(0, 9));
        assertThat(acked).isEmpty();
        addAll(writer, candles.subList(9, 10));

        List<String> lines = linesOf(ONE_MINUTE);
        assertThat(lines).hasSize(10).containsExactlyElementsOf(csvLines(candles));
        assertThat(lines.get(0)).isEqualTo("SBER,2026-11-21T16:00:00Z,100.000000,101.500000,99.250000,100.125000");
        assertThat(Files.readString(files.fileOf(ONE_MINUTE))).endsWith("\n");
        assertThat(acked).containsExactlyInAnyOrderElementsOf(ids(candles));
        assertThat(writer.buffered(ONE_MINUTE)).isZero();
        assertThat(writer.written(ONE_MINUTE)).isEqualTo(10);
        assertThat(writer.batches()).isEqualTo(1);
    }

    @Test
    void twentyFiveCandlesWriteTwoBatchesAndKeepFiveBuffered() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 25);

        addAll(writer, candles);

        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(candles.subList(0, 20)));
        assertThat(acked).containsExactlyInAnyOrderElementsOf(ids(candles.subList(0, 20)));
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(5);
        assertThat(writer.batches()).isEqualTo(2);
    }

    @Test
    void eachPeriodHasItsOwnBatchAndFile() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        List<Candle> oneMinute = series("SBER", ONE_MINUTE, 0, 9);
        List<Candle> twoMinutes = series("SBER", TWO_MINUTES, 0, 10);
        List<Candle> tenMinutes = series("SBER", TEN_MINUTES, 0, 9);

        // 27 candles interleaved: were they one buffer, two batches would have been written.
        for (int i = 0; i < 9; i++) {
            add(writer, oneMinute.get(i));
            add(writer, twoMinutes.get(i));
            add(writer, tenMinutes.get(i));
        }
        assertThat(acked).isEmpty();
        add(writer, twoMinutes.get(9));

        assertThat(dir.resolve("candles_2m.csv")).exists();
        assertThat(linesOf(TWO_MINUTES)).containsExactlyElementsOf(csvLines(twoMinutes));
        assertThat(linesOf(ONE_MINUTE)).isEmpty();
        assertThat(linesOf(TEN_MINUTES)).isEmpty();
        assertThat(acked).containsExactlyInAnyOrderElementsOf(ids(twoMinutes));
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(9);
        assertThat(writer.buffered(TEN_MINUTES)).isEqualTo(9);
    }

    @Test
    void flushAllWritesAndAcknowledgesPartialBatches() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        List<Candle> oneMinute = series("SBER", ONE_MINUTE, 0, 8);
        List<Candle> tenMinutes = series("GAZP", TEN_MINUTES, 0, 3);
        addAll(writer, oneMinute);
        addAll(writer, tenMinutes);

        assertThat(writer.flushAll()).isTrue();

        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(oneMinute));
        assertThat(linesOf(TEN_MINUTES)).containsExactlyElementsOf(csvLines(tenMinutes));
        assertThat(acked).containsExactlyInAnyOrderElementsOf(concat(ids(oneMinute), ids(tenMinutes)));
        assertThat(writer.buffered(ONE_MINUTE)).isZero();
        assertThat(writer.buffered(TEN_MINUTES)).isZero();
    }

    @Test
    void aCandleNotNewerThanItsSeriesIsDroppedAcknowledgedAndNeverWritten() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        List<Candle> sber = series("SBER", ONE_MINUTE, 0, 14);
        addAll(writer, sber.subList(0, 10)); // written
        add(writer, sber.get(10));
        add(writer, sber.get(12)); // buffered, newest of its series
        acked.clear();

        Candle olderThanWritten = redelivered(sber.get(4));
        Candle sameAsBuffered = redelivered(sber.get(10));
        Candle olderThanBuffered = sber.get(11);
        add(writer, olderThanWritten);
        add(writer, sameAsBuffered);
        add(writer, olderThanBuffered);

        assertThat(acked).containsExactly(id(olderThanWritten), id(sameAsBuffered), id(olderThanBuffered));
        assertThat(writer.duplicates()).isEqualTo(3);
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(2);

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
        // Each dropped candle was acknowledged exactly once, when it was dropped.
        assertThat(acked).containsExactlyInAnyOrder(id(olderThanWritten), id(sameAsBuffered), id(olderThanBuffered),
                id(sber.get(10)), id(sber.get(12)), id(otherTicker), id(otherPeriod));
    }

    @Test
    void aNewWriterOnTheSameDirectoryDropsRedeliveredCandlesAndWritesNewerOnes() throws IOException {
        List<Candle> sber = series("SBER", ONE_MINUTE, 0, 20);
        CandleBatchWriter first = recoveredWriter(10);
        addAll(first, sber.subList(0, 10));
        acked.clear();

        CandleBatchWriter second = recoveredWriter(10);
        List<Candle> redeliveries = sber.subList(0, 10).stream().map(CandleBatchWriterTest::redelivered).toList();
        addAll(second, redeliveries);

        assertThat(acked).containsExactlyElementsOf(ids(redeliveries));
        assertThat(second.duplicates()).isEqualTo(10);
        assertThat(second.buffered(ONE_MINUTE)).isZero();

        addAll(second, sber.subList(10, 20));

        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(sber));
        assertThat(acked).containsExactlyInAnyOrderElementsOf(concat(ids(redeliveries), ids(sber.subList(10, 20))));
    }

    @Test
    void droppedPartitionsAreNotAcknowledgedAndTheirRedeliveryIsAcceptedAgain() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        writer.assigned(List.of(0, 1));
        List<Candle> kept = series("SBER", ONE_MINUTE, 0, 4);
        List<Candle> lost = series("GAZP", ONE_MINUTE, 0, 4);
        kept.forEach(candle -> writer.add(candle, 0, ackOf(candle)));
        lost.forEach(candle -> writer.add(candle, 1, ackOf(candle)));

        assertThat(writer.dropPartitions(List.of(1))).isEqualTo(4);
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(4);
        assertThat(acked).isEmpty();

        // Until the partition comes back, its candles are ignored: not buffered, not acknowledged.
        lost.forEach(candle -> writer.add(candle, 1, ackOf(candle)));
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(4);
        // The partition comes back (an assignment is the whole assignment): its candles are read again from Kafka.
        writer.assigned(List.of(0, 1));
        lost.forEach(candle -> writer.add(candle, 1, ackOf(candle)));
        assertThat(writer.duplicates()).isZero();
        assertThat(acked).isEmpty();
        // The partition that was kept still recognises its redeliveries.
        writer.add(kept.get(0), 0, ackOf(kept.get(0)));
        assertThat(writer.duplicates()).isEqualTo(1);
        assertThat(acked).containsExactly(id(kept.get(0)));

        assertThat(writer.flushAll()).isTrue();
        assertThat(linesOf(ONE_MINUTE)).containsExactlyInAnyOrderElementsOf(csvLines(concat(kept, lost)));
        assertThat(acked).containsExactlyInAnyOrderElementsOf(concat(List.of(id(kept.get(0))),
                concat(ids(kept), ids(lost))));
    }

    @Test
    void aRevocationCommitsUpToTheFirstCandleNotWrittenYetAndDropsTheRest() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        writer.assigned(List.of(2));
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 13);
        for (int offset = 0; offset < candles.size(); offset++) {
            writer.add(candles.get(offset), 2, 100 + offset, ackOf(candles.get(offset)));
        }
        // Offsets 100..109 written as one batch, 110..112 buffered.

        java.util.Map<Integer, PartitionCommit> commits = writer.revoke(List.of(2));

        assertThat(commits).containsOnlyKeys(2);
        assertThat(commits.get(2).offset()).isEqualTo(110L);
        assertThat(writer.buffered(ONE_MINUTE)).isZero();
        assertThat(acked).hasSize(10);
        assertThat(linesOf(ONE_MINUTE)).hasSize(10);

        // The next owner, writing to other files, adopts what was written here and drops those candles again.
        Path otherDir = dir.resolveSibling(dir.getFileName() + "-next-owner");
        CandleBatchWriter nextOwner = new CandleBatchWriter(new CandleFiles(otherDir), 10);
        // As in the app: adopted on assignment, before the first batch makes it read its own files.
        assertThat(nextOwner.adopt(commits.get(2).metadata())).isTrue();
        assertThat(nextOwner.recover()).isTrue();
        for (int offset = 0; offset < candles.size(); offset++) {
            nextOwner.add(candles.get(offset), 2, 100 + offset, () -> { });
        }
        assertThat(nextOwner.duplicates()).isEqualTo(10);
        assertThat(nextOwner.buffered(ONE_MINUTE)).isEqualTo(3);
    }

    @Test
    void anAssignmentWithoutAPartitionDropsItsBufferedCandlesUnacknowledged() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        writer.assigned(List.of(0, 1));
        series("SBER", ONE_MINUTE, 0, 3).forEach(candle -> writer.add(candle, 0, ackOf(candle)));
        series("GAZP", ONE_MINUTE, 0, 4).forEach(candle -> writer.add(candle, 1, ackOf(candle)));

        writer.assigned(List.of(0)); // partition 1 was lost: no revocation was heard of

        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(3);
        assertThat(acked).isEmpty();
    }

    @Test
    void theMarksOfARevokedPartitionTravelWithTickersThatHoldSpaces() throws IOException {
        CandleBatchWriter writer = recoveredWriter(1);
        writer.assigned(List.of(2));
        Candle spaced = new Candle("BRK B", ONE_MINUTE, 1, 1, 1, 1, Instant.parse("2026-11-21T16:07:00Z"));
        writer.add(spaced, 2, 7, () -> { });

        java.util.Map<Integer, PartitionCommit> commits = writer.revoke(List.of(2));
        CandleBatchWriter nextOwner = new CandleBatchWriter(new CandleFiles(dir.resolveSibling("next")), 1);

        assertThat(nextOwner.adopt(commits.get(2).metadata())).isTrue();
        assertThat(nextOwner.recover()).isTrue();
        nextOwner.add(spaced, 2, 7, () -> { });
        assertThat(nextOwner.duplicates()).isEqualTo(1);
    }

    @Test
    void metadataItDidNotWriteIsNotAdopted() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);

        assertThat(writer.adopt(null)).isFalse();
        assertThat(writer.adopt("")).isFalse();
        assertThat(writer.adopt("hwm1:not base64 at all")).isFalse();
    }

    @Test
    void recoverFailsNamingThePathWhenTheOutputDirectoryIsAFile() throws IOException {
        Files.writeString(dir, "a regular file where the directory should be");
        CandleBatchWriter writer = new CandleBatchWriter(files, 10);

        assertThat(writer.recover()).isFalse();

        assertThat(writer.failure()).contains(dir.toString());
        assertThat(writer.healthy()).isFalse();
        Candle candle = candle("SBER", ONE_MINUTE, 0);
        assertThatThrownBy(() -> writer.add(candle, PARTITION, ackOf(candle)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(acked).isEmpty();

        Files.delete(dir);
        assertThat(writer.recover()).isTrue();
        assertThat(writer.healthy()).isTrue();
        assertThat(dir).isDirectory();
    }

    @Test
    void aBatchThatCannotBeWrittenStaysUnacknowledgedUntilRetrySucceeds() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        Path away = tmp.resolve("moved-away");
        Files.move(dir, away);
        Files.writeString(dir, "a regular file where the directory should be");
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 10);

        addAll(writer, candles);

        assertThat(acked).isEmpty();
        assertThat(writer.healthy()).isFalse();
        assertThat(writer.failure()).contains(dir.toString());
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(10);
        assertThat(writer.retry()).isFalse();
        assertThat(acked).isEmpty();

        Files.delete(dir);
        Files.move(away, dir);

        assertThat(writer.retry()).isTrue();
        assertThat(writer.healthy()).isTrue();
        assertThat(writer.failure()).isNull();
        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(candles));
        assertThat(acked).containsExactlyInAnyOrderElementsOf(ids(candles));
        assertThat(writer.buffered(ONE_MINUTE)).isZero();

        // Nothing is written twice by a further retry.
        assertThat(writer.retry()).isTrue();
        assertThat(linesOf(ONE_MINUTE)).hasSize(10);
    }

    @Test
    void aBatchSizeBelowOneIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new CandleBatchWriter(files, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("candles.batch-size");
        assertThatThrownBy(() -> new CandleBatchWriter(files, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("candles.batch-size");
    }

    @Test
    void flushOlderThanWritesOnlyPartialBatchesThatWaitedLongEnough() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        List<Candle> oneMinute = series("SBER", ONE_MINUTE, 0, 3);
        List<Candle> twoMinutes = series("SBER", TWO_MINUTES, 0, 2);
        addAll(writer, oneMinute);
        addAll(writer, twoMinutes);

        assertThat(writer.flushOlderThan(Duration.ofHours(1))).isTrue();

        assertThat(linesOf(ONE_MINUTE)).isEmpty();
        assertThat(linesOf(TWO_MINUTES)).isEmpty();
        assertThat(acked).isEmpty();

        assertThat(writer.flushOlderThan(Duration.ZERO)).isTrue();

        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(oneMinute));
        assertThat(linesOf(TWO_MINUTES)).containsExactlyElementsOf(csvLines(twoMinutes));
        assertThat(acked).containsExactlyInAnyOrderElementsOf(concat(ids(oneMinute), ids(twoMinutes)));
    }

    @Test
    void aDeliveryIsForcedOncePerFileAndAcknowledgedOnlyAfterTheForces() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
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

        // Six appends of ten, three files, three forces; every acknowledgement came after all of them.
        assertThat(writer.batches()).isEqualTo(6);
        assertThat(files.forces()).isEqualTo(3);
        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(oneMinute));
        assertThat(linesOf(TWO_MINUTES)).containsExactlyElementsOf(csvLines(twoMinutes));
        assertThat(linesOf(TEN_MINUTES)).containsExactlyElementsOf(csvLines(tenMinutes));
        assertThat(acked).containsExactlyInAnyOrderElementsOf(concat(ids(oneMinute),
                concat(ids(twoMinutes), ids(tenMinutes))));
        assertThat(forcesSeenByAcks).hasSize(60).containsOnly(3L);
    }

    @Test
    void aDeliveryWithoutAFullBatchForcesNothingAndTheFlushesForceBeforeTheyAcknowledge() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        List<Candle> oneMinute = series("SBER", ONE_MINUTE, 0, 4);
        List<Candle> twoMinutes = series("SBER", TWO_MINUTES, 0, 3);
        writer.addDelivery(concat(deliveredAll(oneMinute, 100), deliveredAll(twoMinutes, 200)));
        assertThat(files.forces()).isZero();
        assertThat(acked).isEmpty();

        assertThat(writer.flushOlderThan(Duration.ZERO)).isTrue(); // the linger

        assertThat(files.forces()).isEqualTo(2);
        assertThat(forcesSeenByAcks).hasSize(7).containsOnly(2L);

        List<Candle> more = series("SBER", ONE_MINUTE, 4, 2);
        writer.addDelivery(deliveredAll(more, 104));
        assertThat(writer.flushAll()).isTrue(); // the shutdown

        assertThat(files.forces()).isEqualTo(3);
        assertThat(forcesSeenByAcks).hasSize(9).endsWith(3L, 3L);
        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(concat(oneMinute, more)));
    }

    @Test
    void aFailedForceAcknowledgesNothingAndLeavesTheFileAtItsForcedLengthUntilRetrySucceeds() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 20);
        assertThat(writer.addDelivery(deliveredAll(candles.subList(0, 10), 100))).isTrue();
        // The directory is moved away while its file is open: appending to the open file still works, but forcing
        // it would save nothing where the files are expected.
        Path away = tmp.resolve("moved-away");
        Files.move(dir, away);
        Files.writeString(dir, "a regular file where the directory should be");

        assertThat(writer.addDelivery(deliveredAll(candles.subList(10, 20), 110))).isFalse();

        assertThat(acked).containsExactlyElementsOf(ids(candles.subList(0, 10)));
        assertThat(writer.healthy()).isFalse();
        assertThat(writer.failure()).contains(files.fileOf(ONE_MINUTE).toString());
        assertThat(Files.readAllLines(away.resolve("candles_1m.csv"))).containsExactlyElementsOf(
                csvLines(candles.subList(0, 10)));
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(10);
        assertThat(writer.written(ONE_MINUTE)).isEqualTo(10);
        assertThat(writer.retry()).isFalse();
        assertThat(acked).hasSize(10);

        Files.delete(dir);
        Files.move(away, dir);
        long forcesBeforeRetry = files.forces();

        assertThat(writer.retry()).isTrue();
        assertThat(writer.healthy()).isTrue();
        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(candles));
        assertThat(acked).containsExactlyElementsOf(ids(candles));
        assertThat(forcesSeenByAcks.subList(10, 20)).containsOnly(forcesBeforeRetry + 1);
        assertThat(writer.written(ONE_MINUTE)).isEqualTo(20);
    }

    @Test
    void aWriteThatFailsCutsBackTheOtherFilesAppendedInTheSameDeliveryAndAcknowledgesNothing() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        Files.createDirectory(files.fileOf(TWO_MINUTES)); // 2m cannot be opened; 1m is appended before it fails
        List<Candle> oneMinute = series("SBER", ONE_MINUTE, 0, 10);
        List<Candle> twoMinutes = series("SBER", TWO_MINUTES, 0, 10);

        assertThat(writer.addDelivery(concat(deliveredAll(oneMinute, 100), deliveredAll(twoMinutes, 200)))).isFalse();

        assertThat(acked).isEmpty();
        assertThat(files.forces()).isZero();
        assertThat(linesOf(ONE_MINUTE)).isEmpty();
        assertThat(writer.failure()).contains(files.fileOf(TWO_MINUTES).toString());
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(10);

        Files.delete(files.fileOf(TWO_MINUTES));
        assertThat(writer.retry()).isTrue();

        // The 1m batch is appended again, once: no line twice.
        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(oneMinute));
        assertThat(linesOf(TWO_MINUTES)).containsExactlyElementsOf(csvLines(twoMinutes));
        assertThat(acked).containsExactlyInAnyOrderElementsOf(concat(ids(oneMinute), ids(twoMinutes)));
        assertThat(forcesSeenByAcks).containsOnly(2L);
    }

    @Test
    void aRevocationAfterAFailedForceCommitsAndHandsOverOnlyWhatWasForced() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        writer.assigned(List.of(2));
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 20);
        List<CandleBatchWriter.Delivered> delivery = new ArrayList<>();
        for (int offset = 0; offset < 20; offset++) {
            delivery.add(new CandleBatchWriter.Delivered(candles.get(offset), 2, 100 + offset,
                    ackOf(candles.get(offset))));
        }
        assertThat(writer.addDelivery(delivery.subList(0, 10))).isTrue();
        Files.move(dir, tmp.resolve("moved-away"));
        assertThat(writer.addDelivery(delivery.subList(10, 20))).isFalse(); // appended, not forced

        java.util.Map<Integer, PartitionCommit> commits = writer.revoke(List.of(2));

        assertThat(commits.get(2).offset()).isEqualTo(110L);
        assertThat(acked).hasSize(10);
        CandleBatchWriter nextOwner = new CandleBatchWriter(new CandleFiles(tmp.resolve("next-owner")), 10);
        assertThat(nextOwner.adopt(commits.get(2).metadata())).isTrue();
        assertThat(nextOwner.recover()).isTrue();
        for (int offset = 0; offset < 20; offset++) {
            nextOwner.add(candles.get(offset), 2, 100 + offset, () -> { });
        }
        // The unforced candles are not in the marks: the next owner writes them.
        assertThat(nextOwner.duplicates()).isEqualTo(10);
        assertThat(nextOwner.written(ONE_MINUTE)).isEqualTo(10);
    }

    @Test
    void aRecordThatIsNotACandleIsAcknowledgedAndCountsAsDoneInItsPlace() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        writer.assigned(List.of(2));
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 3);
        List<String> skippedAcks = new ArrayList<>();

        writer.addDelivery(List.of(
                new CandleBatchWriter.Delivered(null, 2, 99, () -> skippedAcks.add("99")),
                new CandleBatchWriter.Delivered(candles.get(0), 2, 100, ackOf(candles.get(0))),
                new CandleBatchWriter.Delivered(null, 2, 101, () -> skippedAcks.add("101"))));

        assertThat(skippedAcks).containsExactly("99", "101");
        assertThat(writer.buffered(ONE_MINUTE)).isEqualTo(1);
        assertThat(writer.revoke(List.of(2)).get(2).offset()).isEqualTo(100L);
    }

    @Test
    void filesClosedOnShutdownAreOpenedAgainByTheNextAppend() throws IOException {
        CandleBatchWriter writer = recoveredWriter(10);
        List<Candle> candles = series("SBER", ONE_MINUTE, 0, 20);
        writer.addDelivery(deliveredAll(candles.subList(0, 10), 100));

        writer.close();
        writer.addDelivery(deliveredAll(candles.subList(10, 20), 110));

        assertThat(linesOf(ONE_MINUTE)).containsExactlyElementsOf(csvLines(candles));
        assertThat(acked).hasSize(20);
    }

    private CandleBatchWriter recoveredWriter(int batchSize) {
        CandleBatchWriter writer = new CandleBatchWriter(files, batchSize);
        assertThat(writer.recover()).as("recover(): %s", writer.failure()).isTrue();
        return writer;
    }

    private void add(CandleBatchWriter writer, Candle candle) {
        writer.add(candle, PARTITION, ackOf(candle));
    }

    private void addAll(CandleBatchWriter writer, List<Candle> candles) {
        candles.forEach(candle -> add(writer, candle));
    }

    private Runnable ackOf(Candle candle) {
        return () -> {
            acked.add(id(candle));
            forcesSeenByAcks.add(files.forces());
        };
    }

    private CandleBatchWriter.Delivered delivered(Candle candle, long offset) {
        return new CandleBatchWriter.Delivered(candle, PARTITION, offset, ackOf(candle));
    }

    /** The candles as one delivery, at consecutive offsets from {@code firstOffset}. */
    private List<CandleBatchWriter.Delivered> deliveredAll(List<Candle> candles, long firstOffset) {
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

    private static String id(Candle candle) {
        return CandleCsv.line(candle) + " " + candle.period().label();
    }

    private static List<String> ids(List<Candle> candles) {
        return candles.stream().map(CandleBatchWriterTest::id).toList();
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
