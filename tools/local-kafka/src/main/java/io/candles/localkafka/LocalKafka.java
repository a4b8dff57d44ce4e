package io.candles.localkafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;

/**
 * Command line: runs a local Kafka broker until Ctrl-C (SIGINT) or SIGTERM.
 *
 * <pre>
 * java -jar tools/local-kafka/target/local-kafka.jar [--port 9092] [--data-dir data/local-kafka] [--partitions 3]
 *                                              [--host 127.0.0.1] [--broker-property name=value ...]
 * </pre>
 * Each option can also come from the environment: LOCAL_KAFKA_PORT, LOCAL_KAFKA_DATA_DIR, LOCAL_KAFKA_PARTITIONS,
 * LOCAL_KAFKA_HOST.
 */
public final class LocalKafka {

    static final String USAGE = """
            Usage: local-kafka [options]
              --port N                  client port (default 9092, env LOCAL_KAFKA_PORT; 0 = any free port)
              --data-dir DIR            storage, kept between runs (default data/local-kafka, env LOCAL_KAFKA_DATA_DIR)
              --partitions N            partitions of auto-created topics (default 3, env LOCAL_KAFKA_PARTITIONS)
              --host HOST               interface to listen on and advertise (default 127.0.0.1, env LOCAL_KAFKA_HOST)
              --broker-property K=V     any Kafka broker property, repeatable
              --help                    this text
            Ctrl-C stops the broker cleanly.""";

    private LocalKafka() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Before any logger exists: route java.util.logging (and so slf4j) through JBoss LogManager, as Quarkus does.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        LocalKafkaSettings settings;
        try {
            settings = parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("local-kafka: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (settings == null) {
            System.out.println(USAGE);
            return;
        }
        java.util.logging.Logger.getLogger("kafka").setLevel(Level.WARNING);
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(Level.WARNING);

        long started = System.nanoTime();
        LocalKafkaBroker broker = LocalKafkaBroker.start(settings);
        System.out.printf("Kafka %s (KRaft) ready on %s in %d ms, data in %s. Ctrl-C stops it.%n",
                org.apache.kafka.common.utils.AppInfoParser.getVersion(), broker.bootstrapServers(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), broker.dataDir());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Kafka on " + broker.bootstrapServers() + " ...");
            broker.close();
            System.out.println("Kafka stopped.");
            stopped.countDown();
        }, "local-kafka-shutdown"));
        stopped.await();
    }

    /** Returns the settings, or {@code null} when help was asked for. */
    static LocalKafkaSettings parse(String[] args, Map<String, String> env) {
        int port = intValue("LOCAL_KAFKA_PORT", env.getOrDefault("LOCAL_KAFKA_PORT", "9092"));
        String dataDir = env.getOrDefault("LOCAL_KAFKA_DATA_DIR", "data/local-kafka");
        int partitions = intValue("LOCAL_KAFKA_PARTITIONS", env.getOrDefault("LOCAL_KAFKA_PARTITIONS", "3"));
        String host = env.getOrDefault("LOCAL_KAFKA_HOST", LocalKafkaSettings.LOOPBACK);
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--port" -> port = intValue(option, value);
                case "--data-dir" -> dataDir = value;
                case "--partitions" -> partitions = intValue(option, value);
                case "--host" -> host = value;
                case "--broker-property" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--broker-property wants name=value, was \"" + value + "\"");
                    }
                    overrides.put(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new LocalKafkaSettings(host, port, Path.of(dataDir), partitions, Duration.ofSeconds(60), overrides);
    }

    private static int intValue(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was \"" + value + "\"");
        }
    }
}
