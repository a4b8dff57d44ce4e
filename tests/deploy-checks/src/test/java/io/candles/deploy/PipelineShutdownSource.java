package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the apps' SIGTERM handling is made of, read from their sources: the incoming channels the consumer pauses
 * ({@code PipelineShutdown.INCOMING}; the drain computation must cover the same channels, so a new channel shows up in
 * both or the check fails), the bound of the stages' shutdown commits ({@code CandleStages.COMMIT_ON_SHUTDOWN}), and
 * how long query-app waits before it tries a refused poll again, or gives it up on shutdown
 * ({@code CandleIngest.RETRY_INTERVAL}).
 */
final class PipelineShutdownSource {

    private PipelineShutdownSource() {
    }

    static List<String> incomingChannels() {
        String source = Repo.read(App.CONSUMER.dir.resolve("src/main/java/io/candles/consumer/PipelineShutdown.java"));
        Matcher declaration = Pattern.compile("INCOMING\\s*=\\s*List\\.of\\(([^)]*)\\)").matcher(source);
        assertThat(declaration.find()).as("PipelineShutdown.INCOMING").isTrue();
        List<String> channels = new ArrayList<>();
        Matcher literal = Pattern.compile("\"([^\"]+)\"").matcher(declaration.group(1));
        while (literal.find()) {
            channels.add(literal.group(1));
        }
        return channels;
    }

    static Duration stageCommitBound() {
        return secondsConstant(App.CONSUMER, "io/candles/consumer/stage/CandleStages.java", "COMMIT_ON_SHUTDOWN");
    }

    static Duration queryRetryInterval() {
        return secondsConstant(App.QUERY, "io/candles/query/ingest/CandleIngest.java", "RETRY_INTERVAL");
    }

    /** A {@code NAME = Duration.ofSeconds(n)} constant of one of the app's classes. */
    private static Duration secondsConstant(App app, String sourceFile, String name) {
        String source = Repo.read(app.dir.resolve("src/main/java").resolve(sourceFile));
        Matcher declaration = Pattern.compile(name + "\\s*=\\s*Duration\\.ofSeconds\\((\\d+)\\)").matcher(source);
        assertThat(declaration.find()).as("%s in %s", name, sourceFile).isTrue();
        return Duration.ofSeconds(Long.parseLong(declaration.group(1)));
    }
}
