package io.candles.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import io.candles.audit.Audit;
import io.candles.audit.AuditReport;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;
import io.candles.localkafka.FreePort;
import io.candles.localkafka.LocalKafkaBroker;
import io.candles.localkafka.LocalKafkaSettings;
import io.candles.localpipeline.AppProcess;
import io.candles.testkit.KafkaTopics;
import io.candles.wire.CandleCsv;
import io.candles.wire.Topics;

/**
 * The packaged consumer as real processes against the real embedded broker: SIGTERM with a partial batch, a crash
 * between write and commit, a second instance joining and leaving, an unwritable output directory. Every test ends
 * with the audit: the files hold exactly the candles recomputed from the prices topic.
 */
class ConsumerProcessIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Instant START = Instant.parse("2026-11-21T16:00:00Z");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern PROGRESS = Pattern.compile(
            "buffered 1m=(\\d+) 2m=(\\d+) 10m=(\\d+).*redelivered duplicates dropped (\\d+)");

    /** Kept when a test fails: the consumers' logs and files are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    private LocalKafkaBroker broker;
    private KafkaTopics kafka;

    @BeforeEach
    void startBroker() {
        broker = LocalKafkaBroker.start(LocalKafkaSettings.forTests());
        kafka = new KafkaTopics(broker.bootstrapServers());
        kafka.createPipelineTopics(3);
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void sigtermWritesThePartialBatchAndARestartWritesNoDuplicateOfIt() throws Exception {
        Path out = work.resolve("consumer-1");
        // One ticker, 16:00:00 .. 16:18:00: 18 closed 1m candles = one batch of 10 written and 8 buffered.
        sendMinutes(List.of("AAPL"), 0, 18);
        try (AppProcess consumer = startConsumer("consumer-1", out, Map.of())) {
            await().atMost(Duration.ofSeconds(90)).until(() -> lastProgress(consumer, 1) == 8);
            assertThat(lines(out, CandlePeriod.ONE_MINUTE)).hasSize(10);
            consumer.terminate(STOP_TIMEOUT);
        }
        assertThat(lines(out, CandlePeriod.ONE_MINUTE)).hasSize(18);

        sendMinutes(List.of("AAPL"), 18, 40);
        try (AppProcess consumer = startConsumer("consumer-1", out, Map.of("CANDLES_LINGER", "1s"))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> lines(out, CandlePeriod.ONE_MINUTE).size() >= 40);
            consumer.terminate(STOP_TIMEOUT);
        }
        assertAuditClean(List.of(out), 40);
    }

    @Test
    void aSecondInstanceOnTheSameOutputDirectoryStopsAtOnceAndTheFirstWritesOn() throws Exception {
        Path out = work.resolve("shared");
        sendMinutes(List.of("AAPL"), 0, 12);
        // The linger writes partial batches too, so that "nothing missing" can be awaited while it runs.
        try (AppProcess first = startConsumer("consumer-1", out, Map.of("CANDLES_LINGER", "1s"))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> lines(out, CandlePeriod.ONE_MINUTE).size() == 12);
            // The same instance id, as two defaults for one directory would be: joining a group with it would fence
            // the first instance out, so the second must stop before it joins any.
            try (AppProcess second = startConsumer("consumer-1", out, Map.of())) {
                await().atMost(Duration.ofSeconds(60)).until(() -> !second.isAlive());
                assertThat(second.terminate(STOP_TIMEOUT)).isNotZero();
                assertThat(second.log()).contains("output directory " + out + " is in use by another running "
                        + "consumer-app").contains("CANDLES_OUTPUT_DIR").doesNotContain("assigned");
            }
            assertThat(first.log()).doesNotContain("Fenced").doesNotContain("fenced");
            sendMinutes(List.of("AAPL"), 12, 22);
            await().atMost(Duration.ofSeconds(90)).until(() -> audit(List.of(out)).missing().isEmpty());
            first.terminate(STOP_TIMEOUT);
        }
        assertAuditClean(List.of(out), 20);
    }

    @Test
    void settingsTheListenersOrTheWindowsCannotWorkWithStopTheStartNamingTheSetting() throws Exception {
        Map<String, String> refused = Map.of(
                "KAFKA_PARTITION_ASSIGNMENT_STRATEGY", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
                "CANDLES_GRACE", "0s");
        for (Map.Entry<String, String> setting : refused.entrySet()) {
            try (AppProcess consumer = startConsumer("consumer-1", work.resolve("refused"),
                    Map.of(setting.getKey(), setting.getValue()))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> !consumer.isAlive());
                assertThat(consumer.terminate(STOP_TIMEOUT)).as(setting.getKey()).isNotZero();
                String expected = setting.getKey().equals("CANDLES_GRACE")
                        ? "candles.grace must be more than 0, was PT0S"
                        : "CooperativeStickyAssignor, which rebalances cooperatively";
                assertThat(consumer.log()).as(setting.getKey()).contains(expected);
            }
        }
    }

    @Test
    void aBadRecordReadAgainAfterACrashBeforeItsCommitIsNotDeadLetteredTwice() throws Exception {
        Path out = work.resolve("consumer-1");
        ScriptedPrices.sendPoisonThen(kafka, List.of());
        sendMinutes(List.of("AAPL"), 0, 12);
        // The 1m stage does not commit on its own here: after the kill it reads the bad record again.
        try (AppProcess consumer = startConsumer("consumer-1", out, Map.of("CANDLES_COMMIT_INTERVAL", "10m"))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> kafka.count(Topics.DEAD_LETTER) == 1);
            await().atMost(Duration.ofSeconds(90)).until(() -> lines(out, CandlePeriod.ONE_MINUTE).size() == 10);
            consumer.kill();
        }
        try (AppProcess consumer = startConsumer("consumer-1", out, Map.of("CANDLES_LINGER", "1s"))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> consumer.log().contains("is dead-lettered already"));
            await().atMost(Duration.ofSeconds(90)).until(() -> audit(List.of(out)).missing().isEmpty());
            consumer.terminate(STOP_TIMEOUT);
        }
        assertThat(kafka.count(Topics.DEAD_LETTER)).as("the bad record, once").isEqualTo(1);
        assertAuditClean(List.of(out), 12);
    }

    @Test
    void aCrashBetweenWriteAndCommitDoesNotDuplicateLinesAfterTheRestart() throws Exception {
        Path out = work.resolve("consumer-1");
        sendMinutes(List.of("AAPL"), 0, 25);
        // Nothing commits on its own here: everything the sink wrote is redelivered after the kill.
        Map<String, String> neverCommits = Map.of("CANDLES_COMMIT_INTERVAL", "10m");
        try (AppProcess consumer = startConsumer("consumer-1", out, neverCommits)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> lines(out, CandlePeriod.ONE_MINUTE).size() == 20);
            consumer.kill();
        }
        sendMinutes(List.of("AAPL"), 25, 40);
        try (AppProcess consumer = startConsumer("consumer-1", out, Map.of("CANDLES_LINGER", "1s"))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> lines(out, CandlePeriod.ONE_MINUTE).size() >= 40);
            await().atMost(Duration.ofSeconds(30)).until(() -> lastProgress(consumer, 4) >= 20);
            consumer.terminate(STOP_TIMEOUT);
        }
        assertAuditClean(List.of(out), 40);
    }

    @Test
    void aSecondInstanceJoinsAndLeavesWhilePricesFlowAndNoCandleIsMissingOrDuplicated() throws Exception {
        Path outA = work.resolve("consumer-a");
        Path outB = work.resolve("consumer-b");
        Map<String, String> linger = Map.of("CANDLES_LINGER", "1s");
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread prices = new Thread(() -> sendSteadily(sending), "test-prices");
        try (AppProcess a = startConsumer("consumer-a", outA, linger)) {
            prices.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> lines(outA, CandlePeriod.ONE_MINUTE).size() >= 20);
            try (AppProcess b = startConsumer("consumer-b", outB, linger)) {
                await().atMost(Duration.ofSeconds(90)).until(() -> lines(outB, CandlePeriod.ONE_MINUTE).size() >= 20);
                b.terminate(STOP_TIMEOUT);
            }
            long aBefore = lines(outA, CandlePeriod.ONE_MINUTE).size();
            // B's partitions come back to A once B's session times out: A's files grow faster again.
            await().atMost(Duration.ofSeconds(90)).until(() -> lines(outA, CandlePeriod.ONE_MINUTE).size()
                    >= aBefore + 100);
            sending.set(false);
            prices.join();
            await().atMost(Duration.ofSeconds(90)).until(() -> audit(List.of(outA, outB)).missing().isEmpty());
            a.terminate(STOP_TIMEOUT);
        }
        AuditReport report = assertAuditClean(List.of(outA, outB), 100);
        assertThat(lines(outB, CandlePeriod.ONE_MINUTE)).isNotEmpty();
        assertThat(report.matching()).isEqualTo(report.expected());
    }

    @Test
    void anUnwritableOutputDirectoryTurnsReadinessDownAndWritingResumesWithNothingLost() throws Exception {
        Path out = work.resolve("consumer-1");
        Path parked = work.resolve("parked");
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread prices = new Thread(() -> sendSteadily(sending), "test-prices");
        try (AppProcess consumer = startConsumer("consumer-1", out, Map.of("CANDLES_LINGER", "1s"))) {
            prices.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> lines(out, CandlePeriod.ONE_MINUTE).size() >= 20);
            await().atMost(Duration.ofSeconds(30)).until(() -> consumer.httpStatus("/q/health/ready") == 200);

            Files.move(out, parked);
            Files.writeString(out, "not a directory");
            await().atMost(Duration.ofSeconds(30)).until(() -> consumer.httpStatus("/q/health/ready") == 503);
            assertThat(consumer.log()).contains("Candle files or their marks unavailable, nothing is committed past them");

            Files.delete(out);
            Files.move(parked, out);
            await().atMost(Duration.ofSeconds(30)).until(() -> consumer.httpStatus("/q/health/ready") == 200);
            sending.set(false);
            prices.join();
            await().atMost(Duration.ofSeconds(90)).until(() -> audit(List.of(out)).missing().isEmpty());
            consumer.terminate(STOP_TIMEOUT);
        }
        assertAuditClean(List.of(out), 40);
    }

    /** Prices of every ticker every 10 s of event time, for minutes [from, to) plus the one at minute {@code to}. */
    private void sendMinutes(List<String> tickers, int fromMinute, int toMinute) {
        Instant from = START.plusSeconds(60L * fromMinute);
        Instant to = START.plusSeconds(60L * toMinute);
        List<Price> prices = ScriptedPrices.every(Duration.ofSeconds(10), from, to, fromMinute).stream()
                .filter(price -> tickers.contains(price.ticker()))
                .filter(price -> fromMinute == 0 || price.ts().isAfter(from))
                .toList();
        kafka.sendPrices(ScriptedPrices.TICKERS, prices);
    }

    /** All four tickers, 20 rounds per second, 10 s of event time per round, until told to stop. */
    private void sendSteadily(AtomicBoolean sending) {
        Instant ts = START;
        long round = 0;
        while (sending.get()) {
            List<Price> burst = ScriptedPrices.every(Duration.ofSeconds(10), ts, ts.plusSeconds(90), round++);
            kafka.sendPrices(ScriptedPrices.TICKERS, burst);
            ts = ts.plusSeconds(100);
            try {
                Thread.sleep(500); // the pace of the feed: 10 rounds every half second
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private AppProcess startConsumer(String instanceId, Path out, Map<String, String> extraEnv) throws IOException {
        Path log = work.resolve(instanceId + "-" + System.nanoTime() + ".log");
        Files.createFile(log);
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "CANDLES_OUTPUT_DIR", out.toString(),
                "CANDLES_INSTANCE_ID", instanceId,
                "CANDLES_PROGRESS_INTERVAL", "1s"));
        env.putAll(extraEnv);
        return AppProcess.start(JAR, log, FreePort.pick(), env);
    }

    /** A figure of the newest progress line: group 1-3 buffered 1m/2m/10m, 4 duplicates dropped; -1 if none yet. */
    private static long lastProgress(AppProcess consumer, int group) {
        Matcher matcher = PROGRESS.matcher(consumer.log());
        long value = -1;
        while (matcher.find()) {
            value = Long.parseLong(matcher.group(group));
        }
        return value;
    }

    private AuditReport audit(List<Path> dirs) {
        return Audit.run(broker.bootstrapServers(), dirs, Duration.ofSeconds(10),
                new PrintStream(PrintStream.nullOutputStream()));
    }

    private AuditReport assertAuditClean(List<Path> dirs, int atLeastOneMinuteCandles) {
        AuditReport report = audit(dirs);
        assertThat(report.failed()).as("%s%nlogs and files in %s", report.details(10), work).isFalse();
        assertThat(report.latePrices()).isZero();
        assertThat(report.matching()).isGreaterThanOrEqualTo(atLeastOneMinuteCandles);
        return report;
    }

    private static List<String> lines(Path dir, CandlePeriod period) {
        Path file = dir.resolve(CandleCsv.fileName(period));
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
