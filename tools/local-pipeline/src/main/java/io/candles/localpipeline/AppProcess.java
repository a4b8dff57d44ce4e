package io.candles.localpipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged app run as a real process ({@code java -jar}) with its output in a log file: a Quarkus app listening on
 * 127.0.0.1, or any runnable jar (the local Kafka broker).
 */
public final class AppProcess implements AutoCloseable {

    /** Where the apps' JVM options live, with why each is there; deploy-checks holds the Dockerfiles to it. */
    public static final String JVM_OPTIONS_RESOURCE = "app-jvm.options";

    /** JVM options of the packaged apps, from {@value #JVM_OPTIONS_RESOURCE} beside this class. */
    public static final List<String> APP_JVM_OPTIONS = readJvmOptions();

    /**
     * The AppCDS archive the build writes next to quarkus-run.jar (quarkus.package.jar.appcds.enabled). It records the
     * class path relative to the directory it was written in, so the app must start from there.
     */
    private static final String APP_CDS_ARCHIVE = "app-cds.jsa";

    private final Process process;
    private final Path log;
    private final int httpPort;

    private AppProcess(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /**
     * A packaged Quarkus app ({@code target/quarkus-app/quarkus-run.jar}) serving HTTP on 127.0.0.1:httpPort. It runs
     * in its own directory, where its AppCDS archive finds the class path it recorded: paths in {@code env} must be
     * absolute.
     */
    public static AppProcess start(Path quarkusRunJar, Path log, int httpPort, Map<String, String> env) {
        return start(quarkusRunJar, log, httpPort, env, List.of());
    }

    /** As {@link #start(Path, Path, int, Map)}, with JVM options after (and so over) {@link #APP_JVM_OPTIONS}. */
    public static AppProcess start(Path quarkusRunJar, Path log, int httpPort, Map<String, String> env,
            List<String> moreJvmOptions) {
        Map<String, String> withHttp = new HashMap<>(env);
        withHttp.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        withHttp.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        Path appDir = quarkusRunJar.toAbsolutePath().getParent();
        List<String> jvmOptions = new ArrayList<>(APP_JVM_OPTIONS);
        // Only the JVM build that wrote the archive can map it; another one warns and starts without it.
        if (Files.isRegularFile(appDir.resolve(APP_CDS_ARCHIVE))) {
            jvmOptions.add("-XX:SharedArchiveFile=" + APP_CDS_ARCHIVE);
        }
        jvmOptions.addAll(moreJvmOptions);
        return new AppProcess(launch(appDir, quarkusRunJar.getFileName(), jvmOptions, List.of(), log, withHttp), log,
                httpPort);
    }

    /** Any runnable jar, with program arguments; it serves no HTTP as far as this class knows. */
    public static AppProcess startJar(Path jar, List<String> args, Path log, Map<String, String> env) {
        return new AppProcess(launch(Path.of("").toAbsolutePath(), jar, List.of(), args, log, env), log, -1);
    }

    private static List<String> readJvmOptions() {
        try (var in = AppProcess.class.getResourceAsStream(JVM_OPTIONS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(JVM_OPTIONS_RESOURCE + " is missing beside " + AppProcess.class);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + JVM_OPTIONS_RESOURCE, e);
        }
    }

    private static Process launch(Path workingDir, Path jar, List<String> jvmOptions, List<String> args, Path log,
            Map<String, String> env) {
        List<String> command = new ArrayList<>();
        // SIGINT ignored (and so left ignored by the JVM): Ctrl-C in a terminal reaches the whole process group,
        // but the owner of this process stops it, in its own order, with SIGTERM.
        command.addAll(List.of("sh", "-c", "trap '' INT; exec \"$0\" \"$@\""));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** SIGKILL: the process gets no chance to flush or commit anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as Kubernetes and Ctrl-C-less shells send it; waits for the process to end. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("process did not stop within " + timeout + " after SIGTERM; log: " + log);
        }
        return process.exitValue();
    }

    /** The HTTP port the app was told to serve on; -1 for {@link #startJar} processes. */
    public int httpPort() {
        return httpPort;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return log;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** HTTP status of a GET on this app, or -1 while it does not answer. */
    public int httpStatus(String path) {
        try {
            return Http.get(URI.create("http://127.0.0.1:" + httpPort + path)).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
