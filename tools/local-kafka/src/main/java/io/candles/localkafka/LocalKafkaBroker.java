package io.candles.localkafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker + controller), running in this JVM.
 *
 * <p>Storage is formatted on first use with static voters; a data directory that is already formatted is reused,
 * so a broker restarted on the same directory keeps its topics and committed offsets.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final LocalKafkaSettings settings;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final int port;
    private final KafkaRaftServer server;
    private boolean closed;

    private LocalKafkaBroker(LocalKafkaSettings settings, Path dataDir, boolean deleteDataDirOnClose, int port,
            KafkaRaftServer server) {
        this.settings = settings;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.port = port;
        this.server = server;
    }

    /** Formats storage if needed, starts the broker and returns once it answers admin requests. */
    public static LocalKafkaBroker start(LocalKafkaSettings settings) {
        boolean temporary = settings.dataDir() == null;
        Path dataDir = temporary ? createTempDir() : settings.dataDir().toAbsolutePath();
        int port = settings.port() == 0 ? FreePort.on(settings.host()) : settings.port();
        int controllerPort = FreePort.on(settings.host());
        Properties props = brokerProperties(settings, dataDir, port, controllerPort);
        KafkaRaftServer server = null;
        try {
            Files.createDirectories(dataDir);
            formatIfNeeded(dataDir);
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            LocalKafkaBroker broker = new LocalKafkaBroker(settings, dataDir, temporary, port, server);
            broker.awaitReady(settings.startTimeout());
            return broker;
        } catch (Exception e) {
            if (server != null) {
                // Started but never answered: its threads and ports must not outlive this failure.
                server.shutdown();
                server.awaitShutdown();
            }
            if (temporary) {
                deleteRecursively(dataDir);
            }
            throw new IllegalStateException("Kafka broker on " + settings.host() + ":" + port + " did not start: " + e, e);
        }
    }

    /** The address clients use: {@code host:port}. */
    public String bootstrapServers() {
        return settings.host() + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Shuts the broker down, waits for it, and removes the data directory if it was a temporary one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (deleteDataDirOnClose) {
            deleteRecursively(dataDir);
        }
    }

    static Properties brokerProperties(LocalKafkaSettings settings, Path dataDir, int port, int controllerPort) {
        String host = settings.host();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + "," + CONTROLLER_LISTENER + "://" + host + ":"
                + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.toString());
        props.put("num.partitions", String.valueOf(settings.defaultPartitions()));
        // A single node: every internal topic has one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Consumers join at once instead of waiting 3 s for more members, which only matters on a real cluster.
        props.put("group.initial.rebalance.delay.ms", "0");
        props.putAll(settings.overrides());
        return props;
    }

    private static void formatIfNeeded(Path dataDir) throws Exception {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            LOG.info("Reusing formatted Kafka storage in {}", dataDir);
            return;
        }
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dataDir.toString()))
                .setMetadataLogDirectory(dataDir.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setHasDynamicQuorum(false)
                .run();
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                } catch (ExecutionException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no answer within " + timeout, notYet.getCause());
                    }
                }
                Thread.sleep(50); // polling interval of the readiness probe, not a wait for an outcome
            }
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("local-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}
