package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the local launcher ({@code AppProcess} of local-pipeline: bin/pipeline, the benchmark, the process tests) starts
 * the packaged apps: the JVM options of its {@code app-jvm.options}, which the JVM images must use as well.
 */
final class LocalLauncher {

    static final Path SOURCE = Repo.path(
            "tools/local-pipeline/src/main/resources/io/candles/localpipeline/app-jvm.options");

    private static final Pattern GC_CHOICE = Pattern.compile("-XX:\\+Use\\w+GC");

    private LocalLauncher() {
    }

    /** The options of the file, in order: one per line, comments and blank lines left out (as AppProcess reads it). */
    static List<String> jvmOptions() {
        List<String> options = Repo.read(SOURCE).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(options).as("the options in %s", Repo.relative(SOURCE)).isNotEmpty();
        return options;
    }

    static boolean selectsCollector(String option) {
        return GC_CHOICE.matcher(option).matches();
    }
}
