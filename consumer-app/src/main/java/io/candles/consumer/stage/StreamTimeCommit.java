package io.candles.consumer.stage;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A stage's stream time as the metadata of its offset commits, so that whoever reads the partition next (this
 * instance after a restart, another after a rebalance) judges its first records against it ({@code candles.max-ahead})
 * instead of taking the first one as it is. One timestamp per partition: it fits Kafka's 4 KB metadata cap whatever
 * the ticker count.
 */
final class StreamTimeCommit {

    private static final String PREFIX = "stream-time=";

    private StreamTimeCommit() {
    }

    static String encode(Optional<Instant> streamTime) {
        return streamTime.map(ts -> PREFIX + ts).orElse(null);
    }

    /** Empty for metadata it did not write (none, or another tool's). */
    static Optional<Instant> decode(String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(metadata.substring(PREFIX.length())));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
