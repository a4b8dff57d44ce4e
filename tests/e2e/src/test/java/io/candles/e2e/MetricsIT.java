package io.candles.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.candles.domain.CandlePeriod;
import io.candles.localkafka.FreePort;
import io.candles.localpipeline.AppProcess;
import io.candles.localpipeline.Http;
import io.candles.localquestdb.LocalQuestDbSettings;
import io.candles.localquestdb.QuestDbServer;
import io.candles.wire.CandleCsv;
import io.candles.wire.CandleJson;
import io.candles.wire.Topics;

/**
 * Each app's {@code /q/metrics} after a run equals what the topics, the files and QuestDB hold: prices acknowledged
 * = records in {@code prices}; candles published per period = candles of that period in {@code candles}; candles
 * written per period = lines in that period's file; candles stored = candles in {@code candles}.
 */
class MetricsIT {

    private static final Duration STEP = Duration.ofSeconds(90);
    private static final int PRICES = 20_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    private final List<AppProcess> processes = new ArrayList<>();
    private QuestDbServer questDb;

    @org.junit.jupiter.api.BeforeEach
    void quietKafkaClients() {
        // The topic counts below open consumers: their INFO lines (every setting) are noise here.
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.WARNING);
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) { // the broker last
            processes.get(i).close();
        }
        if (questDb != null) {
            questDb.close();
        }
    }

    @Test
    void everyAppsCountersEqualWhatTheTopicsTheFilesAndQuestDbHold() throws Exception {
        PackagedJars.assertBuilt(PackagedJars.BROKER, PackagedJars.PRODUCER, PackagedJars.CONSUMER,
                PackagedJars.QUERY);
        String bootstrap = "127.0.0.1:" + FreePort.pick();
        AppProcess broker = start(AppProcess.startJar(PackagedJars.BROKER, List.of("--port",
                bootstrap.substring(bootstrap.indexOf(':') + 1), "--data-dir", work.resolve("kafka").toString()),
                log("kafka"), Map.of()));
        await("the broker").atMost(STEP).until(() -> broker.log().contains("ready on"));
        questDb = QuestDbServer.start(new LocalQuestDbSettings(LocalQuestDbSettings.LOOPBACK, 0, 0, null, "384m",
                STEP));
        AppProcess producer = start(AppProcess.start(PackagedJars.PRODUCER, log("producer"), FreePort.pick(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "GENERATOR_LOAD_ENABLED", "true",
                "GENERATOR_LOAD_TICKERS", "20",
                "GENERATOR_LOAD_COUNT", String.valueOf(PRICES))));
        Path output = work.resolve("consumer");
        AppProcess consumer = start(AppProcess.start(PackagedJars.CONSUMER, log("consumer"), FreePort.pick(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "CANDLES_OUTPUT_DIR", output.toString(),
                "CANDLES_LINGER", "1s")));
        AppProcess query = start(AppProcess.start(PackagedJars.QUERY, log("query-app"), FreePort.pick(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "QUARKUS_DATASOURCE_JDBC_URL", questDb.jdbcUrl())));

        for (AppProcess app : List.of(producer, consumer, query)) {
            await("the apps are ready").atMost(STEP).until(() -> app.httpStatus("/q/health/ready") == 200);
        }
        await("the producer's last price is acknowledged").atMost(STEP)
                .until(() -> metric(producer, "prices_acknowledged_total", null) == PRICES);
        assertThat(metric(producer, "prices_generated_total", null)).isEqualTo(PRICES);
        assertThat(metric(producer, "prices_failed_total", null)).isZero();
        assertThat(metric(producer, "prices_in_flight", null)).isZero();
        assertThat(metric(producer, "prices_acknowledge_latency_seconds_count", null)).as("one price in 1024 timed")
                .isEqualTo(PRICES / 1024);
        assertThat(count(bootstrap, Topics.PRICES, null)).isEqualTo(PRICES);

        Map<CandlePeriod, Long> published = new EnumMap<>(CandlePeriod.class);
        await("the consumer has published and written everything it will").atMost(STEP)
                .pollInterval(Duration.ofSeconds(2)).until(() -> {
                    Map<CandlePeriod, Long> now = new EnumMap<>(CandlePeriod.class);
                    for (CandlePeriod period : CandlePeriod.values()) {
                        now.put(period, lines(output, period));
                    }
                    boolean settled = now.equals(published) && metric(consumer, "candles_buffered", "1m") == 0;
                    published.clear();
                    published.putAll(now);
                    return settled && now.get(CandlePeriod.ONE_MINUTE) > 0;
                });
        for (CandlePeriod period : CandlePeriod.values()) {
            String label = period.label();
            assertThat(metric(consumer, "candles_written_total", label)).as("written %s", label)
                    .isEqualTo(lines(output, period));
            assertThat(metric(consumer, "candles_published_total", label)).as("published %s", label)
                    .isEqualTo(count(bootstrap, Topics.CANDLES, period));
        }
        assertThat(metric(consumer, "records_dead_lettered_total", "1m")).isZero();
        assertThat(metric(consumer, "candle_batch_write_seconds_count", null)).as("deliveries that appended")
                .isPositive();


        long candles = count(bootstrap, Topics.CANDLES, null);
        await("query-app stored every candle").atMost(STEP)
                .until(() -> metric(query, "candles_stored_total", null) == candles);
        assertThat(metric(query, "candles_repeats_dropped_total", null)).isZero();
        assertThat(Http.get(URI.create("http://127.0.0.1:" + query.httpPort() + "/api/tickers")).statusCode())
                .isEqualTo(200);
        assertThat(metric(query, "http_server_requests_seconds_count", null)).as("Quarkus' HTTP metrics")
                .isPositive();

        // The dashboard queries only meters the apps expose (query-app's HTTP meters exist once it served a request).
        Set<String> exposed = new TreeSet<>();
        for (AppProcess app : List.of(producer, consumer, query)) {
            exposed.addAll(exposed(app));
        }
        assertThat(dashboardMetrics()).hasSizeGreaterThan(10).isSubsetOf(exposed);
    }

    /** The metric names the Grafana dashboard's queries use: what is left of each expr without functions and labels. */
    private static Set<String> dashboardMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(
                PackagedJars.ROOT.resolve("monitoring/grafana/dashboards/candle-pipeline.json").toFile());
        Set<String> functions = Set.of("sum", "rate", "max", "min", "avg", "by", "increase", "irate");
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                String expr = target.get("expr").asText().replaceAll("\\{[^}]*}", " ")
                        .replaceAll("\\[[^]]*]", " ").replaceAll("by \\([^)]*\\)", " ");
                Matcher token = Pattern.compile("[a-z_][a-z0-9_]*").matcher(expr);
                while (token.find()) {
                    if (!functions.contains(token.group())) {
                        names.add(token.group());
                    }
                }
            }
        }
        return names;
    }

    /** The metric names an app exposes now. */
    private static Set<String> exposed(AppProcess app) throws Exception {
        String text = Http.get(URI.create("http://127.0.0.1:" + app.httpPort() + "/q/metrics")).body();
        Set<String> names = new TreeSet<>();
        Matcher line = Pattern.compile("(?m)^([a-z_][a-z0-9_]*)[{ ]").matcher(text);
        while (line.find()) {
            names.add(line.group(1));
        }
        return names;
    }

    private AppProcess start(AppProcess process) {
        processes.add(process);
        return process;
    }

    /** One sample of {@code /q/metrics}: the named meter, with the given period or stage tag, else the first. */
    private static long metric(AppProcess app, String name, String periodOrStage) throws Exception {
        String text = Http.get(URI.create("http://127.0.0.1:" + app.httpPort() + "/q/metrics")).body();
        Pattern line = Pattern.compile("(?m)^" + name + "(\\{([^}]*)\\})? (\\S+)$");
        Matcher sample = line.matcher(text);
        while (sample.find()) {
            String tags = sample.group(2) == null ? "" : sample.group(2);
            if (periodOrStage == null || tags.contains("period=\"" + periodOrStage + "\"")
                    || tags.contains("stage=\"" + periodOrStage + "\"")) {
                return (long) Double.parseDouble(sample.group(3));
            }
        }
        return -1; // not exposed (yet)
    }

    /** Committed records of a topic, or only the candles of one period. */
    private static long count(String bootstrap, String topic, CandlePeriod period) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (period == null || CandleJson.read(record.value()).period() == period) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    private static long lines(Path dir, CandlePeriod period) throws IOException {
        Path file = dir.resolve(CandleCsv.fileName(period));
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count() : 0;
    }

    private Path log(String name) throws IOException {
        return Files.createFile(work.resolve(name + ".log"));
    }
}
