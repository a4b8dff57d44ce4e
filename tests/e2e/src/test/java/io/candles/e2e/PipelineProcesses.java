package io.candles.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.candles.audit.Audit;
import io.candles.audit.AuditReport;
import io.candles.domain.CandlePeriod;
import io.candles.localkafka.FreePort;
import io.candles.localpipeline.AppProcess;
import io.candles.localpipeline.PipelineStatus;

/**
 * The pipeline as real processes for an end-to-end test: a broker, the producer and consumers from the packaged jars,
 * each logging into the test's directory; what happened is kept as a scenario for the failure message. Closing it
 * stops every process, whatever happened before.
 */
final class PipelineProcesses implements AutoCloseable {

    static final Duration STEP = Duration.ofSeconds(90);
    static final Duration STOP = Duration.ofSeconds(120);

    private final Path work;
    private final int kafkaPort = FreePort.pick();
    private final String bootstrap = "127.0.0.1:" + kafkaPort;
    private final PipelineStatus status = new PipelineStatus(bootstrap);
    private AppProcess broker;
    private AppProcess producer;
    private final Map<String, AppProcess> consumers = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> consumerEnv = new HashMap<>();
    private final Map<String, Path> outputDirs = new LinkedHashMap<>();
    private final List<String> scenario = new ArrayList<>();

    PipelineProcesses(Path work) {
        this.work = work;
        // The status reader's admin client reconnects through broker restarts: its INFO lines are noise here.
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.WARNING);
        PackagedJars.assertBuilt(PackagedJars.BROKER, PackagedJars.PRODUCER, PackagedJars.CONSUMER);
    }

    String bootstrap() {
        return bootstrap;
    }

    void startBroker() throws IOException {
        broker = AppProcess.startJar(PackagedJars.BROKER, List.of("--port", String.valueOf(kafkaPort), "--data-dir",
                work.resolve("kafka").toString()), log("kafka"), Map.of());
        await("the broker is ready").atMost(STEP).until(() -> broker.log().contains("ready on"));
        scenario.add("broker starts");
    }

    void stopBroker() throws InterruptedException {
        broker.terminate(STOP);
        scenario.add("broker SIGTERM");
    }

    /** producer-app with these settings on top of the broker's address. */
    void startProducer(Map<String, String> env) throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        producer = AppProcess.start(PackagedJars.PRODUCER, log("producer"), FreePort.pick(), all);
        scenario.add("producer starts");
    }

    /** SIGTERM: the producer sends every price it generated, then exits. */
    void stopProducer() throws InterruptedException {
        producer.terminate(STOP);
        scenario.add("producer SIGTERM");
    }

    /** A consumer-app writing to its own directory {@code name}, with its instance id {@code name}. */
    void startConsumer(String name, Map<String, String> extraEnv) throws IOException {
        Path output = work.resolve(name);
        outputDirs.put(name, output);
        consumerEnv.put(name, extraEnv);
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("CANDLES_OUTPUT_DIR", output.toString());
        env.put("CANDLES_INSTANCE_ID", name);
        AppProcess consumer = AppProcess.start(PackagedJars.CONSUMER, log(name), FreePort.pick(), env);
        consumers.put(name, consumer);
        await(name + " is ready").atMost(STEP).until(() -> consumer.httpStatus("/q/health/ready") == 200);
    }

    void startConsumer(String name) throws IOException {
        startConsumer(name, Map.of());
    }

    /** Stops a consumer ("SIGTERM" or "kill -9"), starts it again and waits until it writes again. */
    void restart(String name, String how) throws Exception {
        long before = lines(name);
        stop(name, how);
        scenario.set(scenario.size() - 1, name + " " + how + " and restart");
        startConsumer(name, consumerEnv.get(name));
        awaitGrowth(name + " writes again after " + how, () -> lines(name), before + 10);
    }

    /** Stops a consumer for good: "SIGTERM" (a graceful stop) or "kill -9" (a crash). Its files stay. */
    void stop(String name, String how) throws InterruptedException {
        AppProcess consumer = consumers.remove(name);
        if (how.equals("kill -9")) {
            consumer.kill();
        } else {
            consumer.terminate(STOP);
        }
        scenario.add(name + " " + how);
    }

    void stopConsumers() throws InterruptedException {
        for (AppProcess consumer : consumers.values()) {
            consumer.terminate(STOP);
        }
        scenario.add("consumers stop");
    }

    void happened(String step) {
        scenario.add(step);
    }

    void awaitGrowth(String what, Supplier<Long> figure, long atLeast) {
        long start = figure.get();
        await(what).atMost(STEP).until(() -> figure.get() >= Math.max(atLeast, start + 1));
    }

    /** Nothing moves any more: the topics' ends and the files stay the same over several readings. */
    void awaitDrained() {
        List<String> readings = new ArrayList<>();
        await("the consumers have drained").atMost(STEP).pollInterval(Duration.ofSeconds(2)).until(() -> {
            PipelineStatus.Snapshot now = status.read(outputDirs);
            readings.add(now.prices() + "/" + now.candles() + "/" + now.linesByInstance());
            int n = readings.size();
            return n >= 4 && readings.get(n - 1).equals(readings.get(n - 2))
                    && readings.get(n - 2).equals(readings.get(n - 3)) && readings.get(n - 3).equals(readings.get(n - 4));
        });
    }

    long prices() {
        return Math.max(0, status.read(Map.of()).prices());
    }

    /** The 1m lines of one instance's files. */
    long lines(String instance) {
        Path dir = outputDirs.get(instance);
        return dir == null ? 0 : status.read(Map.of(instance, dir)).lines(CandlePeriod.ONE_MINUTE);
    }

    /** The 1m lines of every instance's files. */
    long allLines() {
        return status.read(outputDirs).lines(CandlePeriod.ONE_MINUTE);
    }

    /** The lines of these periods in every instance's files. */
    long linesIn(CandlePeriod... periods) {
        PipelineStatus.Snapshot now = status.read(outputDirs);
        long total = 0;
        for (CandlePeriod period : periods) {
            total += now.lines(period);
        }
        return total;
    }

    /** Every candle recomputed from the prices topic against the files of every instance that ever ran. */
    AuditReport audit() {
        return Audit.run(bootstrap, List.copyOf(outputDirs.values()), Duration.ofSeconds(10),
                new PrintStream(PrintStream.nullOutputStream()));
    }

    String scenario() {
        return String.join(", ", scenario);
    }

    @Override
    public void close() throws InterruptedException {
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

    private Path log(String name) throws IOException {
        return Files.createFile(work.resolve(name + "-" + System.nanoTime() + ".log"));
    }
}
