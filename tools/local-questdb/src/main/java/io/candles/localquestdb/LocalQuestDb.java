package io.candles.localquestdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: runs a local QuestDB until Ctrl-C (SIGINT) or SIGTERM.
 *
 * <pre>
 * java -jar tools/local-questdb/target/local-questdb.jar [--http-port 9000] [--pg-port 8812]
 *                                                  [--data-dir data/local-questdb] [--host 127.0.0.1]
 * </pre>
 * Each option can also come from the environment: LOCAL_QUESTDB_HTTP_PORT, LOCAL_QUESTDB_PG_PORT,
 * LOCAL_QUESTDB_DATA_DIR, LOCAL_QUESTDB_HOST.
 */
public final class LocalQuestDb {

    static final String USAGE = """
            Usage: local-questdb [options]
              --http-port N     REST API and web console (default 9000, env LOCAL_QUESTDB_HTTP_PORT)
              --pg-port N       PostgreSQL wire protocol (default 8812, env LOCAL_QUESTDB_PG_PORT)
              --data-dir DIR    storage, kept between runs (default data/local-questdb, env LOCAL_QUESTDB_DATA_DIR)
              --host HOST       interface to listen on (default 127.0.0.1, env LOCAL_QUESTDB_HOST)
              --max-heap SIZE   the server JVM's -Xmx (default 512m, env LOCAL_QUESTDB_MAX_HEAP)
              --help            this text
            Ctrl-C stops the server cleanly.""";

    private LocalQuestDb() {
    }

    public static void main(String[] args) throws Exception {
        LocalQuestDbSettings settings;
        try {
            settings = parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("local-questdb: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (settings == null) {
            System.out.println(USAGE);
            return;
        }
        Files.createDirectories(settings.dataDir());
        long started = System.nanoTime();
        QuestDbServer server = QuestDbServer.start(settings);
        System.out.printf("QuestDB ready in %d ms: console and REST %s, PostgreSQL wire %s (user %s), data in %s, "
                        + "log in %s. Ctrl-C stops it.%n",
                Duration.ofNanos(System.nanoTime() - started).toMillis(), server.httpUrl(), server.pgHostPort(),
                QuestDbServer.USER, server.dataDir(), server.dataDir().resolve("questdb.out"));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping QuestDB (pid " + server.pid() + ") ...");
            server.close();
            System.out.println("QuestDB stopped.");
            stopped.countDown();
        }, "local-questdb-main-shutdown"));
        stopped.await();
    }

    /** Returns the settings, or {@code null} when help was asked for. */
    static LocalQuestDbSettings parse(String[] args, Map<String, String> env) {
        int httpPort = port("LOCAL_QUESTDB_HTTP_PORT", env.getOrDefault("LOCAL_QUESTDB_HTTP_PORT", "9000"));
        int pgPort = port("LOCAL_QUESTDB_PG_PORT", env.getOrDefault("LOCAL_QUESTDB_PG_PORT", "8812"));
        String dataDir = env.getOrDefault("LOCAL_QUESTDB_DATA_DIR", "data/local-questdb");
        String host = env.getOrDefault("LOCAL_QUESTDB_HOST", LocalQuestDbSettings.LOOPBACK);
        String maxHeap = env.getOrDefault("LOCAL_QUESTDB_MAX_HEAP", "512m");
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
                case "--http-port" -> httpPort = port(option, value);
                case "--pg-port" -> pgPort = port(option, value);
                case "--data-dir" -> dataDir = value;
                case "--host" -> host = value;
                case "--max-heap" -> maxHeap = value;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new LocalQuestDbSettings(host, httpPort, pgPort, Path.of(dataDir), maxHeap, Duration.ofSeconds(60));
    }

    private static int port(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, was \"" + value + "\"");
        }
    }
}
