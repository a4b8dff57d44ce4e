package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The incoming channels the consumer pauses on SIGTERM, read from {@code PipelineShutdown.INCOMING}: the drain
 * computation must cover the same channels, so a new channel shows up in both or the check fails.
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
}
