package io.candles.consumer.sink;

import java.nio.file.Path;

/**
 * Another running consumer-app holds the output directory's lock: two instances appending to the same files would
 * cut each other's batches and share high-water marks that belong to one of them. Unchecked, so that it passes the
 * retry loops that wait for an unwritable directory: it is not retried, the app stops ({@link CandleSink}).
 */
public final class DirectoryInUseException extends IllegalStateException {

    public DirectoryInUseException(Path directory, Path lockFile) {
        super("output directory " + directory + " is in use by another running consumer-app (it holds the lock on "
                + lockFile + "): give each instance its own candles.output-dir (env CANDLES_OUTPUT_DIR)");
    }
}
