package io.candles.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.candles.audit.Audit;
import io.candles.audit.AuditReport;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.localkafka.FreePort;
import io.candles.localpipeline.AppProcess;
import io.candles.localpipeline.Http;
import io.candles.localpipeline.PipelineStatus;
import io.candles.localquestdb.LocalQuestDbSettings;
import io.candles.localquestdb.QuestDbServer;
import io.candles.wire.CandleCsv;

/**
 * The read side as real processes: broker, QuestDB, producer, two consumers and the packaged query-app. While candles
 * flow, a consumer is killed with -9 and restarted, the other restarted with SIGTERM, and query-app killed with -9
 * and restarted. After the drain, the API must return exactly the candles in the consumers' files, and the audit
 * must find every closed candle in QuestDB once, with the right values. Then query-app restarts: its cache is warm
 * again from QuestDB before it is ready, and the API answers the same.
 */
class QueryPipelineIT {

    private static final Duration STEP = Duration.ofSeconds(90);
    private static final Duration STOP = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WARM = Pattern.compile("Cache warm in \\d+ ms: (\\d+) candles of (\\d+) series");

    /** Kept when the test fails: every process's log, QuestDB's directory and the candle files are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    private String bootstrap;
    private AppProcess broker;
    private AppProcess producer;
    private AppProcess queryApp;
    private QuestDbServer questDb;
    private final Map<String, AppProcess> consumers = new LinkedHashMap<>();
    private final Map<String, Path> outputDirs = new LinkedHashMap<>();
    private PipelineStatus status;

    @BeforeEach
    void checkJars() {
        PackagedJars.assertBuilt(PackagedJars.BROKER, PackagedJars.PRODUCER, PackagedJars.CONSUMER,
                PackagedJars.QUERY);
        bootstrap = "127.0.0.1:" + FreePort.pick();
        status = new PipelineStatus(bootstrap);
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        List<AppProcess> all = new ArrayList<>(consumers.values());
        all.add(producer);
        all.add(queryApp);
        all.add(broker);
        for (AppProcess process : all) {
            if (process != null) {
                process.close();
            }
        }
        if (questDb != null) {
            questDb.close();
        }
        status.close();
    }

    @Test
    void theApiAnswersExactlyTheCandlesInTheFilesThroughCrashesAndARestart() throws Exception {
        broker = AppProcess.startJar(PackagedJars.BROKER, List.of("--port", bootstrap.substring(bootstrap.indexOf(':') + 1),
                "--data-dir", work.resolve("kafka").toString()), log("kafka"), Map.of());
        await("the broker is ready").atMost(STEP).until(() -> broker.log().contains("ready on"));
        questDb = QuestDbServer.start(new LocalQuestDbSettings(LocalQuestDbSettings.LOOPBACK, 0, 0,
                Files.createDirectories(work.resolve("questdb")), "384m", STEP));
        producer = AppProcess.start(PackagedJars.PRODUCER, log("producer"), FreePort.pick(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "GENERATOR_LOAD_ENABLED", "true",
                "GENERATOR_LOAD_TICKERS", "20",
                "GENERATOR_LOAD_RATE", "1000"));
        startConsumer("consumer-1");
        startConsumer("consumer-2");
        startQueryApp();
        await("candles reach the files").atMost(STEP).until(() -> fileLines().size() > 100);

        long before = fileLines().size();
        consumers.get("consumer-2").kill();
        startConsumer("consumer-2");
        queryApp.kill();
        startQueryApp();
        consumers.get("consumer-1").terminate(STOP);
        startConsumer("consumer-1");
        await("candles flow after the restarts").atMost(STEP).until(() -> fileLines().size() > before + 100);

        producer.terminate(STOP);
        awaitFilesSettled();
        for (AppProcess consumer : consumers.values()) {
            consumer.terminate(STOP);
        }
        List<String> inFiles = fileLines();
        await("query-app has stored every candle of the files").atMost(STEP)
                .until(() -> apiLines().size() >= inFiles.size());
        assertThat(apiLines()).containsExactlyInAnyOrderElementsOf(inFiles);

        AuditReport stored = Audit.runQuestDb(bootstrap, questDb.httpUrl(), Duration.ofSeconds(10),
                new PrintStream(PrintStream.nullOutputStream()));
        System.out.println("Audit of QuestDB: " + stored.summary());
        assertThat(stored.failed()).as("%s%nlogs in %s", stored.details(20), work).isFalse();
        assertThat(stored.matching()).isEqualTo(stored.expected()).isEqualTo(inFiles.size());

        queryApp.terminate(STOP);
        startQueryApp();
        Matcher warm = WARM.matcher(queryApp.log());
        assertThat(warm.find()).as("the warm-up line in %s", queryApp.logFile()).isTrue();
        assertThat(Long.parseLong(warm.group(1))).as("every stored candle fits the cache of 500 per series")
                .isEqualTo(inFiles.size());
        assertThat(apiLines()).containsExactlyInAnyOrderElementsOf(inFiles);
    }

    private void startConsumer(String name) throws IOException {
        Path output = work.resolve(name);
        outputDirs.put(name, output);
        AppProcess consumer = AppProcess.start(PackagedJars.CONSUMER, log(name), FreePort.pick(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "CANDLES_OUTPUT_DIR", output.toString(),
                "CANDLES_INSTANCE_ID", name));
        consumers.put(name, consumer);
        await(name + " is ready").atMost(STEP).until(() -> consumer.httpStatus("/q/health/ready") == 200);
    }

    /** Ready means the cache is warm from QuestDB: readiness waits for it. */
    private void startQueryApp() throws IOException {
        queryApp = AppProcess.start(PackagedJars.QUERY, log("query-app"), FreePort.pick(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "QUARKUS_DATASOURCE_JDBC_URL", questDb.jdbcUrl()));
        await("query-app is ready").atMost(STEP).until(() -> queryApp.httpStatus("/q/health/ready") == 200);
    }

    /** The producer has stopped: wait until the topics and the files stop moving. */
    private void awaitFilesSettled() {
        List<String> readings = new ArrayList<>();
        await("the consumers have drained").atMost(STEP).pollInterval(Duration.ofSeconds(2)).until(() -> {
            PipelineStatus.Snapshot now = status.read(outputDirs);
            readings.add(now.prices() + "/" + now.candles() + "/" + now.linesByInstance());
            int n = readings.size();
            return n >= 4 && readings.subList(n - 4, n).stream().distinct().count() == 1;
        });
    }

    /** Every line of every candle file, as the files hold it. */
    private List<String> fileLines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path dir : outputDirs.values()) {
            for (CandlePeriod period : CandlePeriod.values()) {
                Path file = dir.resolve(CandleCsv.fileName(period));
                if (Files.exists(file)) {
                    try (Stream<String> content = Files.lines(file)) {
                        content.filter(line -> !line.isBlank()).forEach(lines::add);
                    }
                }
            }
        }
        return lines;
    }

    /** Every candle the API serves, series by series, as the line the files would hold. */
    private List<String> apiLines() throws Exception {
        List<String> lines = new ArrayList<>();
        for (JsonNode ticker : api("/api/tickers")) {
            for (CandlePeriod period : CandlePeriod.values()) {
                if (!ticker.path("newest").has(period.label())) {
                    continue;
                }
                JsonNode candles = api("/api/candles?limit=10000&period=" + period.label() + "&ticker="
                        + ticker.get("ticker").asText());
                assertThat(candles.size()).as("no series is cut by the limit").isLessThan(10_000);
                for (JsonNode c : candles) {
                    lines.add(CandleCsv.line(new Candle(c.get("ticker").asText(), period, c.get("open").asDouble(),
                            c.get("high").asDouble(), c.get("low").asDouble(), c.get("close").asDouble(),
                            Instant.parse(c.get("ts").asText()))));
                }
            }
        }
        return lines;
    }

    private JsonNode api(String path) throws Exception {
        var answer = Http.get(URI.create("http://127.0.0.1:" + queryApp.httpPort() + path));
        assertThat(answer.statusCode()).as("%s: %s", path, answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private Path log(String name) throws IOException {
        return Files.createFile(work.resolve(name + "-" + System.nanoTime() + ".log"));
    }
}
