package io.candles.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.candles.consumer.sink.CandleSink;
import io.candles.consumer.stage.Stage;
import io.candles.wire.Topics;

/** The start-up check against application.properties as shipped, with one setting changed at a time. */
class ChannelSettingsCheckTest {

    private static final Properties SHIPPED = shipped();

    @Test
    void theShippedSettingsPass() {
        assertThat(ChannelSettingsCheck.problems(settings(Map.of()))).isEmpty();
    }

    @Test
    void aCooperativeAssignorAnywhereIsNamedWithTheSettingToChange() {
        var problems = ChannelSettingsCheck.problems(settings(Map.of(
                "mp.messaging.incoming.candles-sink.partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor")));
        assertThat(problems).singleElement().asString()
                .contains("mp.messaging.incoming.candles-sink.partition.assignment.strategy")
                .contains("CooperativeStickyAssignor").contains("RangeAssignor");
    }

    @Test
    void aCooperativeAssignorAmongTheConnectorsChannelDefaultsIsRefusedForEveryChannel() {
        var problems = ChannelSettingsCheck.problems(settings(Map.of(
                "mp.messaging.connector.smallrye-kafka.partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
                "kafka.partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor")));
        assertThat(problems).hasSize(IncomingChannels.all().size())
                .allSatisfy(problem -> assertThat(problem).contains("CooperativeStickyAssignor"));
    }

    @Test
    void kafka4sConsumerGroupProtocolIsRefusedForEveryChannel() {
        var problems = ChannelSettingsCheck.problems(settings(Map.of("kafka.group.protocol", "consumer")));
        assertThat(problems).hasSize(IncomingChannels.all().size())
                .allSatisfy(problem -> assertThat(problem).contains("group.protocol").contains("consumer")
                        .contains("classic"));
    }

    @Test
    void aChannelWhoseConsumerGroupIsNotItsNameIsRefused() {
        var problems = ChannelSettingsCheck.problems(settings(Map.of(
                "mp.messaging.incoming.stage-2m.group.id", "candles-2m")));
        assertThat(problems).singleElement().asString()
                .contains("mp.messaging.incoming.stage-2m.group.id is candles-2m").contains("must be stage-2m");
    }

    @Test
    void eachStagesChannelIsConfiguredAsItsStageSays() {
        for (Stage stage : Stage.values()) {
            String prefix = "mp.messaging.incoming." + stage.channel() + ".";
            assertThat(SHIPPED.getProperty(prefix + "topic")).as(stage.channel()).isEqualTo(stage.inputTopic());
            assertThat(SHIPPED.getProperty(prefix + "failure-strategy")).as(stage.channel())
                    .isEqualTo(stage.deadLetters() ? "dead-letter-queue" : null);
        }
        assertThat(SHIPPED.getProperty("mp.messaging.incoming." + CandleSink.CHANNEL + ".topic"))
                .isEqualTo(Topics.CANDLES);
    }

    /** The shipped settings, with these changed. */
    private static Function<String, Optional<String>> settings(Map<String, String> changed) {
        return name -> Optional.ofNullable(changed.getOrDefault(name, SHIPPED.getProperty(name)));
    }

    private static Properties shipped() {
        Properties properties = new Properties();
        try (InputStream in = ChannelSettingsCheckTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
