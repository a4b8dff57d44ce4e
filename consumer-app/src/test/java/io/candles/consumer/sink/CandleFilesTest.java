package io.candles.consumer.sink;

import static io.candles.domain.CandlePeriod.ONE_MINUTE;
import static io.candles.domain.CandlePeriod.TEN_MINUTES;
import static io.candles.domain.CandlePeriod.TWO_MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;

class CandleFilesTest {

    @TempDir
    Path tmp;

    @Test
    void recoveringAMissingDirectoryCreatesItWithNoMarks() throws IOException {
        Path dir = tmp.resolve("not/yet/there");
        CandleFiles files = new CandleFiles(dir);

        Map<CandlePeriod, Map<String, Instant>> marks = files.recoverHighWaterMarks();

        assertThat(dir).isDirectory();
        try (var entries = java.nio.file.Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).as("no candle file yet, only the lock")
                    .containsExactly(CandleFiles.LOCK_FILE);
        }
        assertThat(marks).containsOnlyKeys(ONE_MINUTE, TWO_MINUTES, TEN_MINUTES);
        assertThat(marks.values()).allSatisfy(newest -> assertThat(newest).isEmpty());
    }

    @Test
    void aSecondOwnerOfTheDirectoryIsRefusedUntilTheFirstClosesIt() throws IOException {
        CandleFiles first = new CandleFiles(tmp);
        first.recoverHighWaterMarks();

        CandleFiles second = new CandleFiles(tmp);
        org.assertj.core.api.Assertions.assertThatThrownBy(second::recoverHighWaterMarks)
                .isInstanceOf(DirectoryInUseException.class)
                .hasMessageContaining("output directory " + tmp + " is in use by another running consumer-app");

        first.close();
        assertThat(second.recoverHighWaterMarks()).containsOnlyKeys(ONE_MINUTE, TWO_MINUTES, TEN_MINUTES);
        second.close();
    }

    @Test
    void theMarkIsTheNewestStartPerTickerPerPeriodWhateverTheLineOrder() throws IOException {
        CandleFiles files = new CandleFiles(tmp);
        Files.writeString(tmp.resolve("candles_1m.csv"), """
                SBER,2026-11-21T16:07:00Z,1.000000,1.000000,1.000000,1.000000
                SBER,2026-11-21T16:09:00Z,1.000000,1.000000,1.000000,1.000000
                GAZP,2026-11-21T16:08:00Z,1.000000,1.000000,1.000000,1.000000
                SBER,2026-11-21T16:08:00Z,1.000000,1.000000,1.000000,1.000000
                GAZP,2026-11-21T16:07:00Z,1.000000,1.000000,1.000000,1.000000
                """);
        Files.writeString(tmp.resolve("candles_2m.csv"), """
                SBER,2026-11-21T16:06:00Z,1.000000,1.000000,1.000000,1.000000
                SBER,2026-11-21T16:04:00Z,1.000000,1.000000,1.000000,1.000000
                """);

        Map<CandlePeriod, Map<String, Instant>> marks = files.recoverHighWaterMarks();

        assertThat(marks.get(ONE_MINUTE)).containsOnly(
                entry("SBER", Instant.parse("2026-11-21T16:09:00Z")),
                entry("GAZP", Instant.parse("2026-11-21T16:08:00Z")));
        assertThat(marks.get(TWO_MINUTES)).containsOnly(entry("SBER", Instant.parse("2026-11-21T16:06:00Z")));
        assertThat(marks.get(TEN_MINUTES)).isEmpty();
    }

    @Test
    void aTornLastLineIsCutOffAndNotCounted() throws IOException {
        CandleFiles files = new CandleFiles(tmp);
        String whole = """
                SBER,2026-11-21T16:07:00Z,1.000000,1.000000,1.000000,1.000000
                SBER,2026-11-21T16:08:00Z,1.000000,1.000000,1.000000,1.000000
                """;
        // Even a torn line that would read as a newer candle: its batch was never acknowledged.
        Files.writeString(files.fileOf(ONE_MINUTE), whole + "SBER,2026-11-21T16:09:00Z,1.000000,1.000000,1.0");

        Map<CandlePeriod, Map<String, Instant>> marks = files.recoverHighWaterMarks();

        assertThat(marks.get(ONE_MINUTE)).containsOnly(entry("SBER", Instant.parse("2026-11-21T16:08:00Z")));
        assertThat(Files.readString(files.fileOf(ONE_MINUTE))).isEqualTo(whole).endsWith("\n");
    }

    @Test
    void aFileHoldingOnlyATornLineIsCutToEmpty() throws IOException {
        CandleFiles files = new CandleFiles(tmp);
        Files.writeString(files.fileOf(TEN_MINUTES), "SBER,2026-11-21T16:10:00Z,1.0");

        Map<CandlePeriod, Map<String, Instant>> marks = files.recoverHighWaterMarks();

        assertThat(marks.get(TEN_MINUTES)).isEmpty();
        assertThat(files.fileOf(TEN_MINUTES)).isEmptyFile();
    }

    @Test
    void linesThatAreNotCandlesAreIgnoredAndLeftInPlace() throws IOException {
        CandleFiles files = new CandleFiles(tmp);
        String text = """
                ticker,ts,open,high,low,close
                SBER,2026-11-21T16:07:00Z,1.000000,1.000000,1.000000,1.000000
                not a candle at all

                SBER,2026-11-21T16:09:30Z,1.000000,1.000000,1.000000,1.000000
                GAZP,2026-11-21T16:09:00Z,2.000000,1.000000,1.000000,1.000000
                """;
        Files.writeString(files.fileOf(ONE_MINUTE), text);

        Map<CandlePeriod, Map<String, Instant>> marks = files.recoverHighWaterMarks();

        // 16:09:30 is not a 1m window start and GAZP's high is below its open: neither is a candle.
        assertThat(marks.get(ONE_MINUTE)).containsOnly(entry("SBER", Instant.parse("2026-11-21T16:07:00Z")));
        assertThat(Files.readString(files.fileOf(ONE_MINUTE))).isEqualTo(text);
    }

    @Test
    void aLineWhoseTsIsBeyondEpochMillisIsIgnoredLikeAnyOtherNonCandle() throws IOException {
        CandleFiles files = new CandleFiles(tmp);
        Files.writeString(files.fileOf(ONE_MINUTE), """
                SBER,2026-11-21T16:07:00Z,1.000000,1.000000,1.000000,1.000000
                SBER,+300000000-01-01T00:00:00Z,1.000000,1.000000,1.000000,1.000000
                """);

        Map<CandlePeriod, Map<String, Instant>> marks = files.recoverHighWaterMarks();

        assertThat(marks.get(ONE_MINUTE)).containsOnly(entry("SBER", Instant.parse("2026-11-21T16:07:00Z")));
    }

    @Test
    void appendWritesExactlyTheCsvLinesEachEndedByANewline() throws IOException {
        CandleFiles files = new CandleFiles(tmp);
        files.recoverHighWaterMarks();
        Candle first = new Candle("SBER", ONE_MINUTE, 201.182413, 213.934383, 201.182413, 207.613144,
                Instant.parse("2026-11-21T16:07:00Z"));
        Candle second = new Candle("GAZP", ONE_MINUTE, 150, 151.5, 149.25, 150.0000004,
                Instant.parse("2026-11-21T16:07:00Z"));
        Candle third = new Candle("SBER", ONE_MINUTE, 207.6, 208, 207, 207.5, Instant.parse("2026-11-21T16:08:00Z"));

        files.append(ONE_MINUTE, List.of(first, second));
        files.append(ONE_MINUTE, List.of(third));

        assertThat(files.fileOf(ONE_MINUTE)).isEqualTo(tmp.resolve("candles_1m.csv"));
        assertThat(Files.readString(files.fileOf(ONE_MINUTE), StandardCharsets.UTF_8)).isEqualTo("""
                SBER,2026-11-21T16:07:00Z,201.182413,213.934383,201.182413,207.613144
                GAZP,2026-11-21T16:07:00Z,150.000000,151.500000,149.250000,150.000000
                SBER,2026-11-21T16:08:00Z,207.600000,208.000000,207.000000,207.500000
                """);
        assertThat(files.fileOf(TWO_MINUTES)).doesNotExist();
        assertThat(files.fileOf(TEN_MINUTES)).doesNotExist();
    }

    @Test
    void appendedCandlesAreTheMarksOfTheNextRecovery() throws IOException {
        CandleFiles files = new CandleFiles(tmp);
        files.append(TEN_MINUTES, List.of(
                new Candle("SBER", TEN_MINUTES, 1, 2, 1, 2, Instant.parse("2026-11-21T16:00:00Z")),
                new Candle("SBER", TEN_MINUTES, 2, 3, 2, 3, Instant.parse("2026-11-21T16:10:00Z"))));

        Map<CandlePeriod, Map<String, Instant>> marks = new CandleFiles(tmp).recoverHighWaterMarks();

        assertThat(marks.get(TEN_MINUTES)).containsOnly(entry("SBER", Instant.parse("2026-11-21T16:10:00Z")));
    }

    @Test
    void aFileIsForcedOnceForAllItsAppendsAndNotAgainUntilSomethingIsAppended() throws IOException {
        CandleFiles files = new CandleFiles(tmp);
        files.recoverHighWaterMarks();
        files.append(ONE_MINUTE, List.of(oneMinute("SBER", "16:07")));
        files.append(ONE_MINUTE, List.of(oneMinute("SBER", "16:08")));

        files.force(ONE_MINUTE);
        files.force(ONE_MINUTE);
        files.force(TWO_MINUTES);

        assertThat(files.forces()).isEqualTo(1);
        assertThat(Files.readAllLines(files.fileOf(ONE_MINUTE))).hasSize(2);
    }

    @Test
    void aFailedForceCutsTheFileBackToItsForcedLengthAndTheNextAppendOpensItAgain() throws IOException {
        CandleFiles files = new CandleFiles(tmp);
        files.recoverHighWaterMarks();
        Path file = files.fileOf(ONE_MINUTE);
        Path moved = tmp.resolve("moved.csv");
        files.append(ONE_MINUTE, List.of(oneMinute("SBER", "16:07")));
        files.force(ONE_MINUTE);
        String forced = Files.readString(file);
        files.append(ONE_MINUTE, List.of(oneMinute("SBER", "16:08")));
        Files.move(file, moved); // the open file is no longer the one at the path

        assertThatThrownBy(() -> files.force(ONE_MINUTE)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());

        assertThat(Files.readString(moved)).isEqualTo(forced);
        assertThat(files.forces()).isEqualTo(1);
        Files.move(moved, file);
        files.append(ONE_MINUTE, List.of(oneMinute("SBER", "16:08")));
        files.force(ONE_MINUTE);
        assertThat(Files.readAllLines(file)).containsExactly(
                "SBER,2026-11-21T16:07:00Z,1.000000,1.000000,1.000000,1.000000",
                "SBER,2026-11-21T16:08:00Z,1.000000,1.000000,1.000000,1.000000");
    }

    private static Candle oneMinute(String ticker, String time) {
        return new Candle(ticker, ONE_MINUTE, 1, 1, 1, 1, Instant.parse("2026-11-21T" + time + ":00Z"));
    }
}
