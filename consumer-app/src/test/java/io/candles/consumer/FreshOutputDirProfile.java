package io.candles.consumer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
}
