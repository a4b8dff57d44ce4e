package io.candles.localquestdb;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to start a {@link QuestDbServer}.
 *
 * @param host         interface the HTTP and PostgreSQL-wire ports listen on; 127.0.0.1 unless there is a reason
 * @param httpPort     REST API and web console; 0 picks a free one
 * @param pgPort       PostgreSQL wire protocol; 0 picks a free one
 * @param dataDir      the server's root directory (db, conf, log), reused when it exists; {@code null} for a
 *                     temporary one that is deleted on close
 * @param maxHeap      the server JVM's -Xmx; QuestDB keeps its tables off-heap, so a small heap is enough
 * @param startTimeout how long to wait for both ports to answer
 */
public record LocalQuestDbSettings(String host, int httpPort, int pgPort, Path dataDir, String maxHeap,
        Duration startTimeout) {

    public static final String LOOPBACK = "127.0.0.1";

    public LocalQuestDbSettings {
        checkPort("httpPort", httpPort);
        checkPort("pgPort", pgPort);
        if (httpPort != 0 && httpPort == pgPort) {
            throw new IllegalArgumentException("httpPort and pgPort must differ, both were " + httpPort);
        }
        if (!maxHeap.matches("[1-9][0-9]*[kKmMgG]?")) {
            throw new IllegalArgumentException("maxHeap must look like 512m or 1g, was \"" + maxHeap + "\"");
        }
    }

    /** A server on free loopback ports with temporary storage, as tests want. */
    public static LocalQuestDbSettings forTests() {
        return new LocalQuestDbSettings(LOOPBACK, 0, 0, null, "384m", Duration.ofSeconds(60));
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be 0..65535, was " + port);
        }
    }
}
