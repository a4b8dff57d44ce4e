package io.candles.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.candles.audit.ExpectedCandles;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;
import io.candles.localkafka.FreePort;
import io.candles.localpipeline.AppProcess;
import io.candles.localpipeline.CommandLine;
import io.candles.localpipeline.PipelineStatus;
import io.candles.partitioning.TickerPartitioner;
import io.candles.wire.CandleCsv;
import io.candles.wire.PriceJson;
import io.candles.wire.Topics;

/**
 * Command line: the apps against raw Kafka clients, on one local broker, in one run. Prints a table.
 *
 * <ol>
 *   <li>a plain {@code KafkaProducer} (the app's settings and record size) vs producer-app in load mode;</li>
 *   <li>a plain {@code KafkaConsumer} draining the prices topic vs consumer-app turning it into candles and files;</li>
 *   <li>price to candle-in-file latency after window close, with producer-app at a fixed rate;</li>
 *   <li>start time to ready and RSS of each app (JVM mode);</li>
 *   <li>query-app draining the candles into QuestDB, and serving a cached series under wrk ({@link QueryBenchmark}).</li>
 * </ol>
 * Absolute numbers vary between runs and machines; the ratios are the point.
 */
public final class Benchmark {

    static final String USAGE = """
            Usage: bin/benchmark [--records 5000000] [--tickers 1000] [--latency-rate 20000] [--latency-seconds 30]
                                 [--dir target/benchmark] [--profile] [--producers-only] [--app-jvm-options "..."]
            --profile records each app with Java Flight Recorder into <dir>/<app>.jfr
            --app-jvm-options adds JVM options to the apps (not to the raw clients), e.g. to try a GC setting
            --producers-only measures the producers (step 1) and stops: a quick loop for producer work
            Builds nothing: run ./mvnw install -DskipTests first (bin/benchmark does).""";
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    private final Options options;
    private final Path root;
    private final PrintStream out;
    private final List<String[]> rows = new ArrayList<>();
    private String bootstrap;
    private double consumerCandlesPerSecond;

    record Options(long records, int tickers, long latencyRate, Duration latencyDuration, Path dir,
            boolean profile, boolean producersOnly, String appJvmOptions) {
    }

    Benchmark(Options options, Path root, PrintStream out) {
        this.options = options;
        this.root = root;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Optional<Options> options = CommandLine.parseOrExit("benchmark", args, Benchmark::parse, USAGE);
        if (options.isPresent()) {
            new Benchmark(options.get(), Path.of("").toAbsolutePath(), System.out).run();
        }
    }

    static Options parse(String[] args) {
        long records = 5_000_000;
        int tickers = 1000;
        long rate = 20_000;
        Duration latency = Duration.ofSeconds(30);
        Path dir = Path.of("target", "benchmark");
        boolean profile = false;
        boolean producersOnly = false;
        String appJvmOptions = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--records" -> records = Long.parseLong(CommandLine.value(args, ++i));
                case "--tickers" -> tickers = Integer.parseInt(CommandLine.value(args, ++i));
                case "--latency-rate" -> rate = Long.parseLong(CommandLine.value(args, ++i));
                case "--latency-seconds" -> latency = Duration.ofSeconds(Long.parseLong(CommandLine.value(args, ++i)));
                case "--dir" -> dir = Path.of(CommandLine.value(args, ++i));
                case "--profile" -> profile = true;
                case "--producers-only" -> producersOnly = true;
                case "--app-jvm-options" -> appJvmOptions = CommandLine.value(args, ++i);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new Options(records, tickers, rate, latency, dir, profile, producersOnly, appJvmOptions);
    }

    void run() throws Exception {
        Path dir = options.dir().toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        int port = FreePort.pick();
        bootstrap = "127.0.0.1:" + port;
        out.printf("Benchmark in %s: %,d records, %d tickers, broker on %s%n", dir, options.records(),
                options.tickers(), bootstrap);
        AppProcess broker = AppProcess.startJar(jar("tools/local-kafka/target/local-kafka.jar"),
                List.of("--port", String.valueOf(port), "--data-dir", dir.resolve("kafka").toString()),
                Files.createFile(dir.resolve("kafka.log")), Map.of());
        try (PipelineStatus status = new PipelineStatus(bootstrap)) {
            awaitTrue("the broker", () -> broker.log().contains("ready on"));
            producers(dir, status, broker);
            if (!options.producersOnly()) {
                consumers(dir);
                QueryBenchmark.Harness harness = new QueryBenchmark.Harness() {
                    @Override
                    public AppProcess startApp(String name, Map<String, String> env, List<String> jvmOptions)
                            throws IOException {
                        return Benchmark.this.startApp(name, dir, env, jvmOptions);
                    }

                    @Override
                    public void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
                        Benchmark.this.awaitTrue(what, condition);
                    }
                };
                rows.addAll(new QueryBenchmark(harness, bootstrap, dir, out).run(consumerCandlesPerSecond,
                        loadTickers(options.tickers()).get(0), options.tickers()));
            }
        } finally {
            broker.terminate(Duration.ofSeconds(60));
        }
        printTable();
    }

    /** A plain KafkaProducer with the app's settings and record size, then producer-app in load mode. */
    private void producers(Path dir, PipelineStatus status, AppProcess broker) throws Exception {
        out.println("1. producers ...");
        List<String> tickers = loadTickers(options.tickers());
        TickerPartitioner partitioner = new TickerPartitioner(tickers, 3);
        double rawCpu = ownCpuSeconds();
        double rawBrokerCpu = cpuSeconds(broker);
        Rates raw = rawProducer(tickers, partitioner);
        rawCpu = ownCpuSeconds() - rawCpu;
        rawBrokerCpu = cpuSeconds(broker) - rawBrokerCpu;

        AppProcess producer = startApp("producer", dir, Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                        "GENERATOR_LOAD_ENABLED", "true",
                        "GENERATOR_LOAD_TICKERS", String.valueOf(options.tickers()),
                        "GENERATOR_LOAD_COUNT", String.valueOf(options.records())));
        long started = System.nanoTime();
        awaitTrue("producer-app to be ready", () -> producer.httpStatus("/q/health/ready") == 200);
        double startSeconds = seconds(System.nanoTime() - started);
        awaitTrue("producer-app's first price", () -> status.read(Map.of()).prices() > 0);
        long first = System.nanoTime();
        long firstCount = status.read(Map.of()).prices();
        double appCpu = cpuSeconds(producer);
        double appBrokerCpu = cpuSeconds(broker);
        long[] halfway = {0, 0};
        awaitTrue("producer-app's last price", () -> {
            long prices = status.read(Map.of()).prices();
            if (halfway[0] == 0 && prices >= options.records() / 2) {
                halfway[0] = System.nanoTime();
                halfway[1] = prices;
            }
            return prices >= options.records();
        });
        long last = System.nanoTime();
        appCpu = cpuSeconds(producer) - appCpu;
        appBrokerCpu = cpuSeconds(broker) - appBrokerCpu;
        long rss = rssKb(producer);
        producer.terminate(Duration.ofSeconds(60));
        double millions = options.records() / 1e6;
        double appMillions = (options.records() - firstCount) / 1e6;

        row("producer records/s (plain KafkaProducer vs producer-app load mode)", raw.whole(),
                (options.records() - firstCount) / seconds(last - first));
        row("producer records/s, second half (after the JIT's warm-up)", raw.secondHalf(),
                (options.records() - halfway[1]) / seconds(last - halfway[0]));
        rows.add(new String[] {"producer CPU s per million records: producer / broker",
                String.format("%.2f / %.2f", rawCpu / millions, rawBrokerCpu / millions),
                String.format("%.2f / %.2f", appCpu / appMillions, appBrokerCpu / appMillions), ""});
        rows.add(new String[] {"producer-app start to ready / RSS after the run", String.format("%.2f s", startSeconds),
                String.format("%,d MB", rss / 1024), ""});
    }

    private Rates rawProducer(List<String> tickers, TickerPartitioner partitioner) throws Exception {
        SplittableRandom random = new SplittableRandom(1);
        Instant ts = Instant.parse("2026-11-21T16:00:00Z");
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String ticker = tickers.get(i % tickers.size());
            values.add(PriceJson.write(new Price(ticker, 100 + random.nextDouble(20), ts.plusSeconds(i))));
        }
        Map<String, Object> config = new HashMap<>(ProducerChannelSettings.read(
                root.resolve("producer-app/src/main/resources/application.properties")));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        out.println("   plain KafkaProducer with the prices channel's settings: " + config);
        long start = System.nanoTime();
        long halfway = 0;
        long half = options.records() / 2;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            Future<RecordMetadata> last = null;
            for (long i = 0; i < options.records(); i++) {
                if (i == half) {
                    halfway = System.nanoTime();
                }
                String ticker = tickers.get((int) (i % tickers.size()));
                last = producer.send(new ProducerRecord<>("bench-raw-prices", partitioner.partitionOf(ticker), ticker,
                        values.get((int) (i % values.size()))));
            }
            producer.flush();
            last.get();
        }
        long end = System.nanoTime();
        return new Rates(options.records() / seconds(end - start), (options.records() - half) / seconds(end - halfway));
    }

    /** A plain KafkaConsumer draining prices, then consumer-app turning the same prices into candles and files. */
    private void consumers(Path dir) throws Exception {
        out.println("2. consumers ...");
        Rates raw = rawConsumer();
        out.println("   recomputing the expected candles (not timed) ...");
        ExpectedCandles expected = expectedCandles();
        Map<CandlePeriod, Long> wanted = new HashMap<>();
        for (Candle candle : expected.closed()) {
            wanted.merge(candle.period(), 1L, Long::sum);
        }
        Path output = dir.resolve("candles");
        AppProcess consumer = startApp("consumer", dir, Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                        "CANDLES_OUTPUT_DIR", output.toString(),
                        "CANDLES_INSTANCE_ID", "benchmark"));
        long started = System.nanoTime();
        awaitTrue("consumer-app to be ready", () -> consumer.httpStatus("/q/health/ready") == 200);
        double startSeconds = seconds(System.nanoTime() - started);
        long ready = System.nanoTime();
        LineCount lines = new LineCount(output);
        // Halfway when half the 1m candles are in the files: the load spreads every ticker evenly over the topic.
        long halfOfOneMinute = wanted.getOrDefault(CandlePeriod.ONE_MINUTE, 0L) / 2;
        long[] halfway = {0};
        // Done when every full batch of every period is in the files (a partial batch waits for shutdown).
        awaitTrue("consumer-app to write the candles", () -> {
            if (halfway[0] == 0 && lines.count(CandlePeriod.ONE_MINUTE) >= halfOfOneMinute) {
                halfway[0] = System.nanoTime();
            }
            for (CandlePeriod period : CandlePeriod.values()) {
                long full = wanted.getOrDefault(period, 0L) / 10 * 10;
                if (lines.count(period) < full) {
                    return false;
                }
            }
            return true;
        });
        long done = System.nanoTime();
        long written = wanted.values().stream().mapToLong(Long::longValue).sum();
        consumerCandlesPerSecond = written / seconds(done - ready);
        row("consumer records/s (plain KafkaConsumer vs consumer-app into candle files)", raw.whole(),
                options.records() / seconds(done - ready));
        row("consumer records/s, second half of the topic (after the JIT's warm-up)", raw.secondHalf(),
                (options.records() - options.records() / 2) / seconds(done - halfway[0]));

        out.println("3. latency ...");
        String latency = latency(dir, output, consumer);
        rows.add(new String[] {"price -> candle in file, after window close: p50 / p99", latency, "", ""});
        long rss = rssKb(consumer);
        consumer.terminate(Duration.ofSeconds(120));
        rows.add(new String[] {"consumer-app start to ready / RSS after the run",
                String.format("%.2f s", startSeconds), String.format("%,d MB", rss / 1024), ""});
    }

    /** Records per second over the whole topic and over its second half. */
    record Rates(double whole, double secondHalf) {
    }

    private Rates rawConsumer() {
        long start = System.nanoTime();
        long halfway = 0;
        long halfCount = 0;
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = pricesFromTheBeginning(2_000)) {
            while (count < options.records()) {
                count += consumer.poll(Duration.ofMillis(200)).count();
                if (halfway == 0 && count >= options.records() / 2) {
                    halfway = System.nanoTime();
                    halfCount = count;
                }
            }
        }
        long end = System.nanoTime();
        return new Rates(count / seconds(end - start), (count - halfCount) / seconds(end - halfway));
    }

    private ExpectedCandles expectedCandles() {
        ExpectedCandles expected = new ExpectedCandles(Duration.ofSeconds(10));
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = pricesFromTheBeginning(5_000)) {
            while (count < options.records()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    expected.add(record.partition(), PriceJson.read(record.value()));
                    count++;
                }
            }
        }
        return expected;
    }

    /**
     * producer-app at a fixed rate while consumer-app runs: for each new 1m line, the time it appeared minus the time
     * its window closed (the Kafka timestamp of the ticker's first price at or after the window end).
     */
    private String latency(Path dir, Path output, AppProcess consumer) throws Exception {
        FileTail tail = new FileTail(output.resolve(CandleCsv.fileName(CandlePeriod.ONE_MINUTE)));
        tail.skipExisting();
        AppProcess producer = startApp("producer-latency", dir, Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                        "GENERATOR_LOAD_ENABLED", "true",
                        "GENERATOR_LOAD_TICKERS", String.valueOf(options.tickers()),
                        "GENERATOR_LOAD_RATE", String.valueOf(options.latencyRate())));
        Map<String, Long> seenAt = new HashMap<>();
        long phaseStart = System.currentTimeMillis();
        long end = System.nanoTime() + options.latencyDuration().toNanos();
        while (System.nanoTime() < end && consumer.isAlive()) {
            long now = System.currentTimeMillis();
            for (String line : tail.newLines()) {
                int second = line.indexOf(',', line.indexOf(',') + 1);
                seenAt.putIfAbsent(line.substring(0, second), now);
            }
            Thread.sleep(5); // the sampling interval of the file tail: a few ms of measurement resolution
        }
        producer.terminate(Duration.ofSeconds(60));
        Map<String, Long> closedAt = windowCloseTimes(seenAt);
        List<Long> latencies = new ArrayList<>();
        seenAt.forEach((key, seen) -> {
            Long closed = closedAt.get(key);
            // Only windows that closed during this phase: older candles may still sit in a partial batch.
            if (closed != null && closed >= phaseStart) {
                latencies.add(seen - closed);
            }
        });
        if (latencies.isEmpty()) {
            return "no candle";
        }
        Collections.sort(latencies);
        return String.format("%d ms / %d ms (%,d candles at %,d prices/s)",
                latencies.get(latencies.size() / 2), latencies.get(latencies.size() * 99 / 100), latencies.size(),
                options.latencyRate());
    }

    /** For each "TICKER,window start" key: the Kafka timestamp of the ticker's first price at or after the end. */
    private Map<String, Long> windowCloseTimes(Map<String, Long> keys) {
        java.util.Set<String> wanted = keys.keySet();
        Map<String, Long> closed = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = pricesFromTheBeginning(5_000)) {
            List<TopicPartition> partitions = consumer.assignment().stream().toList();
            Map<TopicPartition, Long> stop = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < stop.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Price price = PriceJson.read(record.value());
                    // The ticker's first price of a window closes its previous window (CSV keeps whole seconds).
                    Instant start = CandlePeriod.ONE_MINUTE.windowStart(price.ts());
                    String previous = price.ticker() + "," + start.minus(CandlePeriod.ONE_MINUTE.duration());
                    if (wanted.contains(previous)) {
                        closed.putIfAbsent(previous, record.timestamp());
                    }
                }
            }
        }
        return closed;
    }

    /** A plain consumer of the prices topic, assigned all its partitions from the beginning, committing nothing. */
    private KafkaConsumer<byte[], byte[]> pricesFromTheBeginning(int maxPollRecords) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = partitionsOf(consumer);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer) {
        return consumer.partitionsFor(Topics.PRICES, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(Topics.PRICES, info.partition())).toList();
    }

    private void row(String what, double raw, double app) {
        rows.add(new String[] {what, String.format("%,.0f", raw), String.format("%,.0f", app),
                String.format("%.0f %%", 100 * app / raw)});
    }

    private void printTable() {
        out.println();
        out.printf("| %-78s | %-22s | %-22s | %-7s |%n", "what", "raw Kafka client", "app", "app/raw");
        out.printf("|%s|%s|%s|%s|%n", "-".repeat(80), "-".repeat(24), "-".repeat(24), "-".repeat(9));
        for (String[] row : rows) {
            out.printf("| %-78s | %-22s | %-22s | %-7s |%n", (Object[]) row);
        }
    }

    private void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(20); // polling interval of the condition; the deadline bounds the wait
        }
    }

    /** producer-app, consumer-app or query-app ({@code name} starts with its name), logging to {@code <dir>/<name>.log}. */
    private AppProcess startApp(String name, Path dir, Map<String, String> env, List<String> jvmOptions)
            throws IOException {
        String app = name.startsWith("producer") ? "producer-app" : name.startsWith("query") ? "query-app"
                : "consumer-app";
        List<String> options = new ArrayList<>(jvmOptions);
        // On the command line, after the apps' own options, so that e.g. -Xmx here wins.
        options.addAll(List.of(this.options.appJvmOptions().strip().split("\\s+")));
        options.removeIf(String::isEmpty);
        if (this.options.profile()) {
            options.add("-XX:StartFlightRecording=settings=profile,filename=" + dir.resolve(name + ".jfr"));
        }
        return AppProcess.start(jar(app + "/target/quarkus-app/quarkus-run.jar"),
                Files.createFile(dir.resolve(name + ".log")), FreePort.pick(), env, options);
    }

    private AppProcess startApp(String name, Path dir, Map<String, String> env) throws IOException {
        return startApp(name, dir, env, List.of());
    }

    private Path jar(String relative) {
        Path jar = root.resolve(relative);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first with ./mvnw install -DskipTests");
        }
        return jar;
    }

    private static List<String> loadTickers(int count) {
        int width = Math.max(4, String.valueOf(count - 1).length());
        List<String> tickers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tickers.add("T" + "0".repeat(width - String.valueOf(i).length()) + i);
        }
        return tickers;
    }

    /** CPU time (user + system) the process has used so far, from /proc; 0 where /proc does not tell. */
    private static double cpuSeconds(AppProcess process) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: utime is the 12th, stime
            // the 13th, in clock ticks (100 per second on Linux).
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU time this JVM has used so far (the raw clients run in it). */
    private static double ownCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    static long rssKb(AppProcess process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Lines per period in one output directory, counted incrementally. */
    private static final class LineCount {

        private final Map<CandlePeriod, FileTail> tails = new HashMap<>();
        private final Map<CandlePeriod, Long> counts = new HashMap<>();

        LineCount(Path dir) {
            for (CandlePeriod period : CandlePeriod.values()) {
                tails.put(period, new FileTail(dir.resolve(CandleCsv.fileName(period))));
            }
        }

        long count(CandlePeriod period) {
            return counts.merge(period, (long) tails.get(period).newLines().size(), Long::sum);
        }
    }

    /** The complete lines appended to a file since the last call. */
    private static final class FileTail {

        private final Path file;
        private long position;
        private String partial = "";

        FileTail(Path file) {
            this.file = file;
        }

        void skipExisting() throws IOException {
            position = Files.exists(file) ? Files.size(file) : 0;
        }

        List<String> newLines() {
            if (!Files.isRegularFile(file)) {
                return List.of();
            }
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                long length = in.length();
                if (length <= position) {
                    return List.of();
                }
                byte[] bytes = new byte[(int) Math.min(length - position, 16 * 1024 * 1024)];
                in.seek(position);
                in.readFully(bytes);
                position += bytes.length;
                String text = partial + new String(bytes, StandardCharsets.UTF_8);
                int lastNewline = text.lastIndexOf('\n');
                partial = text.substring(lastNewline + 1);
                return lastNewline < 0 ? List.of() : List.of(text.substring(0, lastNewline).split("\n"));
            } catch (IOException e) {
                return List.of();
            }
        }
    }
}
