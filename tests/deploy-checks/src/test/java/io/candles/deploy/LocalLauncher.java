package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the local launcher ({@code AppProcess} of local-pipeline: bin/pipeline, the benchmark, the process tests) starts
 * the packaged apps, read from its Java source: the JVM options the JVM images must use as well.
 */
final class LocalLauncher {

    static final Path SOURCE = Repo.path("tools/local-pipeline/src/main/java/io/candles/localpipeline/AppProcess.java");

    private static final Pattern OPTIONS = Pattern.compile("APP_JVM_OPTIONS\\s*=\\s*List\\.of\\((.*?)\\);",
            Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern GC_CHOICE = Pattern.compile("-XX:\\+Use\\w+GC");

    private LocalLauncher() {
    }

    /** The string literals of {@code AppProcess.APP_JVM_OPTIONS}, in order. */
    static List<String> jvmOptions() {
        // Line comments dropped first: they explain the options and may hold anything, ");" included.
        Matcher declaration = OPTIONS.matcher(Repo.read(SOURCE).replaceAll("(?m)^\\s*//.*$", ""));
        assertThat(declaration.find()).as("APP_JVM_OPTIONS = List.of(...); in %s", Repo.relative(SOURCE)).isTrue();
        List<String> options = new ArrayList<>();
        Matcher literal = STRING.matcher(declaration.group(1));
        while (literal.find()) {
            options.add(literal.group(1));
        }
        assertThat(options).as("APP_JVM_OPTIONS in %s", Repo.relative(SOURCE)).isNotEmpty();
        return options;
    }

    static boolean selectsCollector(String option) {
        return GC_CHOICE.matcher(option).matches();
    }
}
