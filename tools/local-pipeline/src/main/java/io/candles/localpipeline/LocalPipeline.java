package io.candles.localpipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import io.candles.domain.CandlePeriod;
import io.candles.wire.CandleCsv;

/**
 * Command line: the whole pipeline on this machine, without Docker. It starts the local Kafka broker, the producer
 * and the consumer instances as separate processes, each with its own log file and output directory, and prints a
 * status line every few seconds; beside them QuestDB and query-app, which store every candle and serve it over HTTP and
 * as a live chart. Ctrl-C stops them in order (producer, consumers, query-app, QuestDB, broker), each with SIGTERM,
 * and prints a summary.
 *
 * <pre>
 * bin/pipeline [--dir data/pipeline] [--kafka-port 9092] [--consumers 2] [--no-query] [--fresh] [--status-every 5s]
 * </pre>
 * The producer and consumers read their usual environment (GENERATOR_*, CANDLES_*), so e.g.
 * {@code GENERATOR_LOAD_ENABLED=true GENERATOR_LOAD_RATE=1000 bin/pipeline} runs it under load.
 */
public final class LocalPipeline {

    static final String USAGE = """
            Usage: bin/pipeline [options]
              --dir DIR            where data, logs and candle files go (default data/pipeline)
              --kafka-port N       the broker's port (default 9092)
              --consumers N        consumer instances (default 2)
              --no-query           without QuestDB and query-app (the page, the HTTP API)
              --fresh              delete DIR first: new topics, new files
              --status-every D     status line interval (default 5s)
              --help               this text
            Environment variables of the apps (GENERATOR_*, CANDLES_*, ...) are passed on.
            Ctrl-C stops the producer, then the consumers, then the broker, and prints a summary.""";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);
    private static final int QUERY_PORT = 8083;

    private final Options options;
    private final Path root;
    private final PrintStream out;
    private final List<AppProcess> consumers = new ArrayList<>();
    private final Map<String, Path> consumerDirs = new LinkedHashMap<>();
    private AppProcess broker;
    private AppProcess producer;
    private AppProcess questDb;
    private AppProcess queryApp;
    private volatile boolean stopping;

    record Options(Path dir, int kafkaPort, int consumers, boolean query, boolean fresh, Duration statusEvery) {
    }

    LocalPipeline(Options options, Path projectRoot, PrintStream out) {
        this.options = options;
        this.root = projectRoot;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Optional<Options> parsed = CommandLine.parseOrExit("pipeline", args, LocalPipeline::parse, USAGE);
        if (parsed.isEmpty()) {
            return;
        }
        Options options = parsed.get();
        LocalPipeline pipeline = new LocalPipeline(options, Path.of("").toAbsolutePath(), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.stop();
            stopped.countDown();
        }, "pipeline-stop"));
        try {
            pipeline.start();
        } catch (RuntimeException e) {
            System.err.println("pipeline: " + e.getMessage());
            System.exit(1);
        }
        pipeline.reportUntilInterrupted(stopped);
    }

    static Options parse(String[] args) {
        Path dir = Path.of("data", "pipeline");
        int kafkaPort = 9092;
        int consumers = 2;
        boolean fresh = false;
        boolean query = true;
        Duration statusEvery = Duration.ofSeconds(5);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--fresh" -> fresh = true;
                case "--no-query" -> query = false;
                case "--dir" -> dir = Path.of(CommandLine.value(args, ++i));
                case "--kafka-port" -> kafkaPort = number(args, ++i);
                case "--consumers" -> consumers = number(args, ++i);
                case "--status-every" -> statusEvery = Duration.parse("PT" + CommandLine.value(args, ++i).toUpperCase());
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (consumers < 1) {
            throw new IllegalArgumentException("--consumers must be >= 1, was " + consumers);
        }
        return new Options(dir, kafkaPort, consumers, query, fresh, statusEvery);
    }

    void start() throws IOException, InterruptedException {
        Path dir = options.dir().toAbsolutePath();
        if (options.fresh()) {
            deleteRecursively(dir);
        }
        Path logs = Files.createDirectories(dir.resolve("logs"));
        String bootstrap = "127.0.0.1:" + options.kafkaPort();
        out.printf("Starting the pipeline in %s (logs in %s)%n", dir, logs);

        broker = AppProcess.startJar(jar("tools/local-kafka/target/local-kafka.jar"),
                List.of("--port", String.valueOf(options.kafkaPort()), "--data-dir", dir.resolve("kafka").toString()),
                Files.createFile(fresh(logs.resolve("kafka.log"))), Map.of());
        awaitLine(broker, "ready on", "Kafka");
        out.printf("  kafka       %s                pid %d%n", bootstrap, broker.pid());

        Map<String, String> kafka = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        producer = AppProcess.start(jar("producer-app/target/quarkus-app/quarkus-run.jar"),
                Files.createFile(fresh(logs.resolve("producer.log"))), 8080, kafka);
        out.printf("  producer    http://127.0.0.1:8080   pid %d%n", producer.pid());
        for (int i = 1; i <= options.consumers(); i++) {
            String name = "consumer-" + i;
            Path output = dir.resolve(name);
            Map<String, String> env = new LinkedHashMap<>(kafka);
            env.put("CANDLES_OUTPUT_DIR", output.toString());
            env.put("CANDLES_INSTANCE_ID", name);
            AppProcess consumer = AppProcess.start(jar("consumer-app/target/quarkus-app/quarkus-run.jar"),
                    Files.createFile(fresh(logs.resolve(name + ".log"))), 8080 + i, env);
            consumers.add(consumer);
            consumerDirs.put(name, output);
            out.printf("  %s  http://127.0.0.1:%d   pid %d, candles in %s%n", name, 8080 + i, consumer.pid(), output);
        }
        if (options.query()) {
            startQuerySide(dir, logs, kafka);
        }
        out.println("Ctrl-C stops everything.");
    }

    /** QuestDB on its usual ports (console 9000, PostgreSQL wire 8812), then query-app on 8083 reading from it. */
    private void startQuerySide(Path dir, Path logs, Map<String, String> kafka) throws IOException,
            InterruptedException {
        questDb = AppProcess.startJar(jar("tools/local-questdb/target/local-questdb.jar"),
                List.of("--data-dir", dir.resolve("questdb").toString()),
                Files.createFile(fresh(logs.resolve("questdb.log"))), Map.of());
        awaitLine(questDb, "ready in", "QuestDB");
        out.printf("  questdb     http://127.0.0.1:9000   pid %d, console; PostgreSQL wire on 127.0.0.1:8812%n",
                questDb.pid());
        Map<String, String> env = new LinkedHashMap<>(kafka);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:8812/qdb?reWriteBatchedInserts=true");
        queryApp = AppProcess.start(jar("query-app/target/quarkus-app/quarkus-run.jar"),
                Files.createFile(fresh(logs.resolve("query-app.log"))), QUERY_PORT, env);
        out.printf("  query-app   http://127.0.0.1:%d   pid %d%n", QUERY_PORT, queryApp.pid());
        out.printf("    the live chart  http://127.0.0.1:%d/%n", QUERY_PORT);
        out.printf("    the API         curl 'http://127.0.0.1:%d/api/candles?ticker=SBER&period=1m'%n", QUERY_PORT);
        out.printf("    its document    http://127.0.0.1:%d/q/swagger-ui%n", QUERY_PORT);
    }

    private void reportUntilInterrupted(CountDownLatch stopped) throws InterruptedException {
        try (PipelineStatus status = new PipelineStatus("127.0.0.1:" + options.kafkaPort())) {
            long lastPrices = 0;
            long lastNanos = System.nanoTime();
            out.println(StatusLine.header(consumerDirs.keySet()));
            while (!stopped.await(options.statusEvery().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (stopping) {
                    continue; // the stop sequence reports from here on
                }
                PipelineStatus.Snapshot snapshot = status.read(consumerDirs);
                long now = System.nanoTime();
                double rate = snapshot.prices() < 0 ? 0 : (snapshot.prices() - lastPrices) * 1e9 / (now - lastNanos);
                lastPrices = Math.max(lastPrices, snapshot.prices());
                lastNanos = now;
                out.println(StatusLine.of(LocalTime.now().truncatedTo(ChronoUnit.SECONDS), snapshot, rate));
                if (!allAlive()) {
                    out.println("A process has stopped; see its log in " + options.dir().resolve("logs"));
                }
            }
        }
    }

    /** Producer first (every generated price is delivered), then the consumers (partial batches written), then Kafka. */
    void stop() {
        stopping = true;
        out.println();
        out.println("Stopping: producer ...");
        terminate(producer);
        out.println("Stopping: consumers ...");
        consumers.parallelStream().forEach(this::terminate);
        Map<String, Map<CandlePeriod, Long>> lines = new LinkedHashMap<>();
        long prices = -1;
        try (PipelineStatus status = new PipelineStatus("127.0.0.1:" + options.kafkaPort())) {
            PipelineStatus.Snapshot last = status.read(consumerDirs);
            prices = last.prices();
            lines.putAll(last.linesByInstance());
        } catch (RuntimeException e) {
            // The summary below says what it could read.
        }
        if (queryApp != null) {
            out.println("Stopping: query-app, questdb ...");
            terminate(queryApp);
            terminate(questDb);
        }
        out.println("Stopping: kafka ...");
        terminate(broker);
        out.println(summary(prices, lines));
    }

    String summary(long prices, Map<String, Map<CandlePeriod, Long>> lines) {
        StringBuilder text = new StringBuilder("Summary").append(System.lineSeparator());
        text.append(String.format("  prices sent (in the prices topic): %s%n", prices < 0 ? "unknown" : prices));
        lines.forEach((instance, perPeriod) -> {
            text.append(String.format("  %s:", instance));
            perPeriod.forEach((period, count) -> text.append(String.format(" %s %d", CandleCsv.fileName(period),
                    count)));
            text.append(String.format(" lines, in %s%n", consumerDirs.get(instance)));
        });
        text.append(String.format("  logs: %s%n", options.dir().toAbsolutePath().resolve("logs")));
        text.append(String.format("  check the files: bin/audit --bootstrap-servers 127.0.0.1:%d%s%n"
                + "  (the broker must be running: bin/local-kafka --port %d --data-dir %s)",
                options.kafkaPort(), consumerDirs.values().stream().map(d -> " --dir " + d).reduce("", String::concat),
                options.kafkaPort(), options.dir().toAbsolutePath().resolve("kafka")));
        if (options.query()) {
            text.append(String.format("%n  check QuestDB too: add --questdb http://127.0.0.1:9000"
                    + " (QuestDB must be running: bin/local-questdb --data-dir %s)",
                    options.dir().toAbsolutePath().resolve("questdb")));
        }
        return text.toString();
    }

    private void terminate(AppProcess process) {
        if (process == null) {
            return;
        }
        try {
            process.terminate(STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (AssertionError e) {
            out.println("  " + e.getMessage());
        }
    }

    private boolean allAlive() {
        return Stream.of(Stream.of(broker, producer), consumers.stream(), Stream.of(questDb, queryApp))
                .flatMap(s -> s).filter(java.util.Objects::nonNull).allMatch(AppProcess::isAlive);
    }

    private Path jar(String relative) {
        Path jar = root.resolve(relative);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first with ./mvnw install -DskipTests");
        }
        return jar;
    }

    private static Path fresh(Path log) throws IOException {
        Files.deleteIfExists(log);
        return log;
    }

    private void awaitLine(AppProcess process, String text, String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!process.log().contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not start; see " + process.logFile());
            }
            Thread.sleep(100); // polls the log for the start-up line; the deadline bounds it
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static int number(String[] args, int index) {
        String value = CommandLine.value(args, index);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[index - 1] + " must be a whole number, was \"" + value + "\"");
        }
    }
}
