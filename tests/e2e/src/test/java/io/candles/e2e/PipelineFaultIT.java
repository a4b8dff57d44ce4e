package io.candles.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import io.candles.audit.Audit;
import io.candles.audit.AuditReport;
import io.candles.domain.CandlePeriod;
import io.candles.localkafka.FreePort;
import io.candles.localpipeline.AppProcess;
import io.candles.localpipeline.PipelineStatus;

/**
 * The whole pipeline as real processes (broker, producer, consumers) under faults, checked by the audit at the end.
 *
 * <p>The producer sends 1,000 prices/s over 50 tickers. While it runs: each consumer is restarted with SIGTERM twice
 * and with kill -9 once, a third consumer joins and leaves (rebalances), the producer is restarted with SIGTERM, and
 * the broker is stopped and started again. Then the producer stops, the consumers drain and stop, and the audit must
 * find every closed window exactly once in the files, with the right values, and no late price.
 */
class PipelineFaultIT {

    private static final Duration STEP = Duration.ofSeconds(90);
    private static final Duration STOP = Duration.ofSeconds(120);

    /** Kept when the test fails: every process's log and the candle files are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    private int kafkaPort;
    private String bootstrap;
    private AppProcess broker;
    private AppProcess producer;
    private final Map<String, AppProcess> consumers = new LinkedHashMap<>();
    private final Map<String, Path> outputDirs = new LinkedHashMap<>();
    private final List<String> scenario = new ArrayList<>();
    private PipelineStatus status;

    @BeforeEach
    void checkJars() {
        // The status reader's admin client reconnects through the broker restart: its INFO lines are noise here.
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.WARNING);
        PackagedJars.assertBuilt(PackagedJars.BROKER, PackagedJars.PRODUCER, PackagedJars.CONSUMER);
        kafkaPort = FreePort.pick();
        bootstrap = "127.0.0.1:" + kafkaPort;
        status = new PipelineStatus(bootstrap);
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        // Whatever happened above: no process outlives the test.
        List<AppProcess> all = new ArrayList<>(consumers.values());
        all.add(producer);
        all.add(broker);
        for (AppProcess process : all) {
            if (process != null) {
                process.close();
            }
        }
        status.close();
    }

    @Test
    void restartsCrashesRebalancesAndABrokerRestartLoseAndDuplicateNothing() throws Exception {
        startBroker();
        startProducer();
        startConsumer("consumer-1");
        startConsumer("consumer-2");
        awaitGrowth("both consumers write candles", () -> lines("consumer-1") + lines("consumer-2"), 100);

        restart("consumer-1", "SIGTERM");
        restart("consumer-2", "kill -9");
        startConsumer("consumer-3");
        scenario.add("consumer-3 joins");
        awaitGrowth("consumer-3 writes the candles of the partition it got", () -> lines("consumer-3"), 20);
        restart("consumer-2", "SIGTERM");

        producer.terminate(STOP);
        scenario.add("producer SIGTERM");
        startProducer();
        awaitGrowth("prices flow again after the producer restart", this::prices, 2_000);

        broker.terminate(STOP);
        scenario.add("broker SIGTERM");
        startBroker();
        awaitGrowth("candles flow again after the broker restart", this::allLines, 100);

        restart("consumer-1", "kill -9");
        consumers.remove("consumer-3").terminate(STOP);
        scenario.add("consumer-3 leaves (SIGTERM)");
        awaitGrowth("the others take over consumer-3's partitions", () -> lines("consumer-1") + lines("consumer-2"),
                300);
        restart("consumer-1", "SIGTERM");
        restart("consumer-2", "SIGTERM");

        producer.terminate(STOP);
        scenario.add("producer stops");
        awaitDrained();
        for (AppProcess consumer : consumers.values()) {
            consumer.terminate(STOP);
        }
        scenario.add("consumers stop");

        AuditReport report = Audit.run(bootstrap, List.copyOf(outputDirs.values()), Duration.ofSeconds(10),
                new PrintStream(PrintStream.nullOutputStream()));
        System.out.printf("Scenario: %s%nAudit: %s%n", String.join(", ", scenario), report.summary());
        assertThat(report.failed()).as("%s%nlogs and files in %s", report.details(20), work).isFalse();
        assertThat(report.latePrices()).isZero();
        assertThat(report.prices()).isGreaterThan(20_000);
        assertThat(report.matching()).isEqualTo(report.expected()).isGreaterThan(1_000);
        assertThat(report.matching()).isEqualTo(linesIn(CandlePeriod.values()));
    }

    private void startBroker() throws IOException {
        broker = AppProcess.startJar(PackagedJars.BROKER, List.of("--port", String.valueOf(kafkaPort), "--data-dir",
                work.resolve("kafka").toString()), log("kafka"), Map.of());
        await("the broker is ready").atMost(STEP).until(() -> broker.log().contains("ready on"));
        scenario.add("broker starts");
    }

    private void startProducer() throws IOException {
        producer = AppProcess.start(PackagedJars.PRODUCER, log("producer"), FreePort.pick(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "GENERATOR_LOAD_ENABLED", "true",
                "GENERATOR_LOAD_TICKERS", "50",
                "GENERATOR_LOAD_RATE", "1000"));
        scenario.add("producer starts");
    }

    private void startConsumer(String name) throws IOException {
        Path output = work.resolve(name);
        outputDirs.put(name, output);
        consumers.put(name, AppProcess.start(PackagedJars.CONSUMER, log(name), FreePort.pick(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "CANDLES_OUTPUT_DIR", output.toString(),
                "CANDLES_INSTANCE_ID", name)));
        AppProcess consumer = consumers.get(name);
        await(name + " is ready").atMost(STEP).until(() -> consumer.httpStatus("/q/health/ready") == 200);
    }

    private void restart(String name, String how) throws Exception {
        AppProcess consumer = consumers.get(name);
        long before = lines(name);
        if (how.equals("kill -9")) {
            consumer.kill();
        } else {
            consumer.terminate(STOP);
        }
        scenario.add(name + " " + how + " and restart");
        startConsumer(name);
        awaitGrowth(name + " writes again after " + how, () -> lines(name), before + 10);
    }

    private void awaitGrowth(String what, Supplier<Long> figure, long atLeast) {
        long start = figure.get();
        await(what).atMost(STEP).until(() -> figure.get() >= Math.max(atLeast, start + 1));
    }

    /** Nothing moves any more: the topics' ends and the files stay the same over several readings. */
    private void awaitDrained() {
        List<String> readings = new ArrayList<>();
        await("the consumers have drained").atMost(STEP).pollInterval(Duration.ofSeconds(2)).until(() -> {
            PipelineStatus.Snapshot now = status.read(outputDirs);
            readings.add(now.prices() + "/" + now.candles() + "/" + now.linesByInstance());
            int n = readings.size();
            return n >= 4 && readings.get(n - 1).equals(readings.get(n - 2))
                    && readings.get(n - 2).equals(readings.get(n - 3)) && readings.get(n - 3).equals(readings.get(n - 4));
        });
    }

    private long prices() {
        return Math.max(0, status.read(Map.of()).prices());
    }

    private long lines(String instance) {
        Path dir = outputDirs.get(instance);
        return dir == null ? 0 : status.read(Map.of(instance, dir)).lines(CandlePeriod.ONE_MINUTE);
    }

    private long allLines() {
        return status.read(outputDirs).lines(CandlePeriod.ONE_MINUTE);
    }

    private long linesIn(CandlePeriod... periods) {
        PipelineStatus.Snapshot now = status.read(outputDirs);
        long total = 0;
        for (CandlePeriod period : periods) {
            total += now.lines(period);
        }
        return total;
    }

    private Path log(String name) throws IOException {
        return Files.createFile(work.resolve(name + "-" + System.nanoTime() + ".log"));
    }
}
