package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the consumer's SIGTERM handling is made of, read from its source: the incoming channels it pauses
 * ({@code PipelineShutdown.INCOMING}; the drain computation must cover the same channels, so a new channel shows up in
 * both or the check fails) and the bound of the stages' shutdown commits ({@code CandleStages.COMMIT_ON_SHUTDOWN}).
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
        String source = Repo.read(
                App.CONSUMER.dir.resolve("src/main/java/io/candles/consumer/stage/CandleStages.java"));
        Matcher declaration = Pattern.compile("COMMIT_ON_SHUTDOWN\\s*=\\s*Duration\\.ofSeconds\\((\\d+)\\)")
                .matcher(source);
        assertThat(declaration.find()).as("CandleStages.COMMIT_ON_SHUTDOWN").isTrue();
        return Duration.ofSeconds(Long.parseLong(declaration.group(1)));
    }
}
