package io.candles.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.candles.localpipeline.AppProcess;
import io.candles.localquestdb.LocalQuestDbSettings;
import io.candles.localquestdb.QuestDbServer;
import io.candles.wire.Topics;

/**
 * Step 4 of the benchmark: query-app against what consumer-app published in the steps before. It drains the whole
 * {@code candles} topic into QuestDB (candles/s, compared with the candles/s consumer-app wrote), then wrk loads a
 * cached series over HTTP (requests/s and latency percentiles). wrk comes from Debian ({@code apt-get install wrk});
 * without it the HTTP rows say so.
 */
final class QueryBenchmark {

    private static final Pattern REQUESTS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P50 = Pattern.compile("\\n\\s+50%\\s+(\\S+)");
    private static final Pattern P99 = Pattern.compile("\\n\\s+99%\\s+(\\S+)");
    private static final Pattern CACHE = Pattern.compile("cache: (\\d+) hits, (\\d+) misses");

    /** What the benchmark lends this step: how it starts the apps and waits. */
    interface Harness {
        AppProcess startApp(String name, Map<String, String> env, List<String> jvmOptions) throws IOException;

        void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException;
    }

    private final Harness harness;
    private final String bootstrap;
    private final Path dir;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    QueryBenchmark(Harness harness, String bootstrap, Path dir, PrintStream out) {
        this.harness = harness;
        this.bootstrap = bootstrap;
        this.dir = dir;
        this.out = out;
    }

    /** Rows for the table: what, consumer-app (or the target), query-app, ratio. */
    List<String[]> run(double consumerCandlesPerSecond, String ticker, int tickers) throws Exception {
        List<String[]> rows = new ArrayList<>();
        long candles = candlesInTopic();
        out.printf("4. query-app: %,d candles in %s ...%n", candles, Topics.CANDLES);
        try (QuestDbServer questDb = QuestDbServer.start(new LocalQuestDbSettings(LocalQuestDbSettings.LOOPBACK, 0,
                0, Files.createDirectories(dir.resolve("questdb")), "512m", Duration.ofSeconds(60)))) {
            // Every series of the load in the cache (3 periods per ticker), and a heap to hold it, as an operator
            // would size them: 40 bytes per candle, 500 per series, beside the app's own 25 MB.
            int cached = 3 * tickers;
            long heapMb = 64 + cached * 500L * 40 / (1024 * 1024);
            AppProcess query = harness.startApp("query", Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                    "QUARKUS_DATASOURCE_JDBC_URL", questDb.jdbcUrl(),
                    "QUERY_CACHE_MAX_SERIES", String.valueOf(cached)),
                    List.of("-Xms" + heapMb + "m", "-Xmx" + heapMb + "m"));
            out.printf("   query-app with a cache of %,d series and a %d MB heap%n", cached, heapMb);
            long started = System.nanoTime();
            harness.awaitTrue("query-app to be ready", () -> query.httpStatus("/q/health/ready") == 200);
            double startSeconds = (System.nanoTime() - started) / 1e9;
            long ready = System.nanoTime();
            harness.awaitTrue("query-app to store every candle", () -> stored(questDb) >= candles);
            double ingest = candles / ((System.nanoTime() - ready) / 1e9);
            rows.add(new String[] {"candles/s: consumer-app writing files vs query-app draining the topic into QuestDB",
                    String.format("%,.0f", consumerCandlesPerSecond), String.format("%,.0f", ingest),
                    String.format("%.0f %%", 100 * ingest / consumerCandlesPerSecond)});

            String series = "http://127.0.0.1:" + query.httpPort() + "/api/candles?period=1m&ticker="
                    + URLEncoder.encode(ticker, StandardCharsets.UTF_8);
            rows.add(load("GET one cached series, all its 1m candles (req/s; p50 / p99)", series, query));
            rows.add(load("GET one cached series, its newest 10 (req/s; p50 / p99)", series + "&limit=10", query));
            Matcher cache = CACHE.matcher(lastLine(query.log(), "cache:"));
            rows.add(new String[] {"query-app cache during the load: hits / misses", "",
                    cache.find() ? cache.group(1) + " / " + cache.group(2) : "(no progress line)", ""});
            long rss = Benchmark.rssKb(query);
            query.terminate(Duration.ofSeconds(60));
            rows.add(new String[] {"query-app start to ready / RSS after the run", String.format("%.2f s",
                    startSeconds), String.format("%,d MB", rss / 1024), ""});
        }
        return rows;
    }

    /** wrk with 2 threads and 16 connections for 15 s, after 3 s of warm-up. */
    private String[] load(String what, String url, AppProcess query) throws Exception {
        HttpResponse<String> sample = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        String target = String.format("20,000 req/s, p99 < 10 ms (%,d bytes per answer)", sample.body().length());
        if (sample.statusCode() != 200) {
            return new String[] {what, target, "HTTP " + sample.statusCode(), ""};
        }
        if (!Files.isExecutable(Path.of("/usr/bin/wrk"))) {
            return new String[] {what, target, "no wrk (apt-get install wrk)", ""};
        }
        wrk(url, Duration.ofSeconds(3));
        String report = wrk(url, Duration.ofSeconds(15));
        Matcher rate = REQUESTS.matcher(report);
        Matcher p50 = P50.matcher(report);
        Matcher p99 = P99.matcher(report);
        if (!rate.find() || !p50.find() || !p99.find()) {
            return new String[] {what, target, "unreadable wrk output, see " + dir.resolve("wrk.log"), ""};
        }
        return new String[] {what, target, String.format("%,.0f; %s / %s", Double.parseDouble(rate.group(1)),
                p50.group(1), p99.group(1)), ""};
    }

    private String wrk(String url, Duration duration) throws IOException, InterruptedException {
        Path log = dir.resolve("wrk.log");
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c16", "-d" + duration.toSeconds() + "s", "--latency", url)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        wrk.waitFor();
        String all = Files.readString(log);
        return all.substring(all.lastIndexOf("Running "));
    }

    private long stored(QuestDbServer questDb) {
        URI count = URI.create(questDb.httpUrl() + "/exec?query="
                + URLEncoder.encode("SELECT count() FROM candles", StandardCharsets.UTF_8));
        try {
            String body = http.send(HttpRequest.newBuilder(count).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher value = Pattern.compile("\"dataset\":\\[\\[(\\d+)]]").matcher(body);
            return value.find() ? Long.parseLong(value.group(1)) : 0; // no table yet
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Committed records of the candles topic (end offsets count transaction markers too). */
    private long candlesInTopic() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CANDLES, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(Topics.CANDLES, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return count;
    }

    private static String lastLine(String log, String containing) {
        String found = "";
        for (String line : log.split("\n")) {
            if (line.contains(containing)) {
                found = line;
            }
        }
        return found;
    }
}
