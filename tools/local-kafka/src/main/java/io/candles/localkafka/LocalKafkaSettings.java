package io.candles.localkafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to start a {@link LocalKafkaBroker}.
 *
 * @param host              interface to listen on and to advertise; 127.0.0.1 unless there is a reason
 * @param port              client port; 0 picks a free one
 * @param dataDir           storage directory, reused when already formatted; {@code null} for a temporary one
 *                          that is deleted on close
 * @param defaultPartitions partitions of auto-created topics ({@code num.partitions})
 * @param startTimeout      how long to wait for the broker to answer
 * @param overrides         any further broker properties
 */
public record LocalKafkaSettings(String host, int port, Path dataDir, int defaultPartitions, Duration startTimeout,
        Map<String, String> overrides) {

    public static final String LOOPBACK = "127.0.0.1";

    public LocalKafkaSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be >= 1, was " + defaultPartitions);
        }
        overrides = Map.copyOf(overrides);
    }

    /** A broker on a free loopback port with temporary storage and 3 partitions per topic, as tests want. */
    public static LocalKafkaSettings forTests() {
        return new LocalKafkaSettings(LOOPBACK, 0, null, 3, Duration.ofSeconds(60), Map.of());
    }

    public LocalKafkaSettings withPort(int newPort) {
        return new LocalKafkaSettings(host, newPort, dataDir, defaultPartitions, startTimeout, overrides);
    }

    public LocalKafkaSettings withDataDir(Path newDataDir) {
        return new LocalKafkaSettings(host, port, newDataDir, defaultPartitions, startTimeout, overrides);
    }
}
