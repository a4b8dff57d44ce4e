package io.candles.consumer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.candles.domain.CandlePeriod;
import io.candles.wire.CandleCsv;
import io.quarkus.test.junit.QuarkusTestProfile;

/** A new, empty output directory for each test run (a reused one would hold high-water marks of an earlier run). */
public class FreshOutputDirProfile implements QuarkusTestProfile {

    static final Path OUTPUT_DIR = create();

    private static Path create() {
        try {
            return Files.createTempDirectory("candles-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("candles.output-dir", OUTPUT_DIR.toString());
    }

    /** The lines of the candle file of this period in the test's output directory (none while it is missing). */
    static List<String> lines(CandlePeriod period) {
        Path file = OUTPUT_DIR.resolve(CandleCsv.fileName(period));
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
