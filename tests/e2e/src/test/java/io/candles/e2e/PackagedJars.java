package io.candles.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

/** The runnable jars the modules before e2e package (the reactor builds them first), for the end-to-end tests. */
final class PackagedJars {

    static final Path ROOT = Path.of(System.getProperty("repository.root", "..")).toAbsolutePath();
    static final Path BROKER = ROOT.resolve("tools/local-kafka/target/local-kafka.jar");
    static final Path PRODUCER = ROOT.resolve("producer-app/target/quarkus-app/quarkus-run.jar");
    static final Path CONSUMER = ROOT.resolve("consumer-app/target/quarkus-app/quarkus-run.jar");
    static final Path QUERY = ROOT.resolve("query-app/target/quarkus-app/quarkus-run.jar");

    private PackagedJars() {
    }

    static void assertBuilt(Path... jars) {
        for (Path jar : List.of(jars)) {
            assertThat(jar).as("built by the modules before e2e (./mvnw verify builds them)").isRegularFile();
        }
    }
}
