package io.candles.localquestdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real QuestDB server, run as a child JVM from the {@code org.questdb:questdb} jar on this module's class path:
 * {@code java -p questdb.jar -m io.questdb/io.questdb.ServerMain -d DIR}.
 *
 * <p>A child process rather than {@code ServerMain} in this JVM: QuestDB loads native libraries and starts its own
 * worker pools, and a test must be able to kill it (crash) and start it again on the same directory. It listens on
 * loopback only, with the line protocols, the minimal HTTP server and telemetry off. {@link #close()} stops it with
 * SIGTERM, as an orchestrator would; a JVM shutdown hook does the same if the owner never calls close.
 */
public final class QuestDbServer implements AutoCloseable {

    /** QuestDB's built-in PostgreSQL-wire account. */
    public static final String USER = "admin";
    public static final String PASSWORD = "quest";

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final LocalQuestDbSettings settings;
    private final Path root;
    private final boolean temporary;
    private final int httpPort;
    private final int pgPort;
    private final Process process;
    private final Thread shutdownHook;

    private QuestDbServer(LocalQuestDbSettings settings, Path root, boolean temporary, int httpPort, int pgPort,
            Process process) {
        this.settings = settings;
        this.root = root;
        this.temporary = temporary;
        this.httpPort = httpPort;
        this.pgPort = pgPort;
        this.process = process;
        this.shutdownHook = new Thread(this::stopProcess, "local-questdb-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts QuestDB and returns once its HTTP and PostgreSQL-wire ports answer. */
    public static QuestDbServer start(LocalQuestDbSettings settings) {
        boolean temporary = settings.dataDir() == null;
        try {
            Path root = temporary ? Files.createTempDirectory("local-questdb-") : settings.dataDir().toAbsolutePath();
            int httpPort = settings.httpPort() == 0 ? FreePort.on(settings.host()) : settings.httpPort();
            int pgPort = settings.pgPort() == 0 ? FreePort.on(settings.host()) : settings.pgPort();
            writeServerConf(root, settings.host(), httpPort, pgPort);
            Process process = new ProcessBuilder(command(root, settings.maxHeap()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("questdb.out").toFile()))
                    .start();
            QuestDbServer server = new QuestDbServer(settings, root, temporary, httpPort, pgPort, process);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start QuestDB", e);
        }
    }

    public String httpUrl() {
        return "http://" + settings.host() + ":" + httpPort;
    }

    public String pgHostPort() {
        return settings.host() + ":" + pgPort;
    }

    /** The JDBC URL for the PostgreSQL driver; batched inserts are rewritten to multi-row statements. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + pgHostPort() + "/qdb?reWriteBatchedInserts=true";
    }

    public Path dataDir() {
        return root;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the server without warning (SIGKILL), as a crash would; the directory stays for a restart. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 30 s) and deletes its directory when it was temporary. */
    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing left to remove
        }
        if (temporary) {
            deleteTree(root);
        }
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        waitForExit();
    }

    private void waitForExit() {
        try {
            process.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("QuestDB (pid " + process.pid() + ") did not exit", e);
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(httpUrl() + "/exec?query=SELECT%201"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("QuestDB exited with status " + process.exitValue()
                        + " while starting; its output:\n" + outputTail());
            }
            if (answers(http, probe) && pgPortOpen()) {
                return;
            }
            try {
                Thread.sleep(100); // polling a child process that has no readiness callback
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("QuestDB did not answer on " + httpUrl() + " and " + pgHostPort() + " within "
                + settings.startTimeout().toSeconds() + " s; its output:\n" + outputTail());
    }

    private static boolean answers(HttpClient http, HttpRequest probe) {
        try {
            return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean pgPortOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(settings.host(), pgPort), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String outputTail() {
        try (Stream<String> lines = Files.lines(root.resolve("questdb.out"))) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static List<String> command(Path root, String maxHeap) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-XX:+UseParallelGC");
        command.add("-p");
        command.add(questDbJar().toString());
        command.add("-m");
        command.add("io.questdb/io.questdb.ServerMain");
        command.add("-d");
        command.add(root.toString());
        return command;
    }

    /** The questdb jar this module was built against, found without loading (and so initialising) its classes. */
    static Path questDbJar() {
        URL serverMain = QuestDbServer.class.getClassLoader().getResource("io/questdb/ServerMain.class");
        if (serverMain == null || !"jar".equals(serverMain.getProtocol())) {
            throw new IllegalStateException("org.questdb:questdb is not on the class path as a jar (found "
                    + serverMain + ")");
        }
        String jarUrl = serverMain.getPath().substring(0, serverMain.getPath().indexOf("!/"));
        try {
            return Path.of(new URI(jarUrl));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read the questdb jar's location " + jarUrl, e);
        }
    }

    private static void writeServerConf(Path root, String host, int httpPort, int pgPort) throws IOException {
        Path conf = root.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("server.conf"), """
                # Written by local-questdb at every start; edits are overwritten.
                http.bind.to=%1$s:%2$d
                http.min.enabled=false
                pg.net.bind.to=%1$s:%3$d
                line.tcp.enabled=false
                line.udp.enabled=false
                telemetry.enabled=false
                metrics.enabled=false
                shared.worker.count=2
                http.worker.count=2
                pg.worker.count=2
                """.formatted(host, httpPort, pgPort));
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a test for
        }
    }
}
