package io.candles.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class EagerRebalanceCheckTest {

    @Test
    void theShippedSettingsAreEager() {
        assertThat(EagerRebalanceCheck.problems(name -> Optional.ofNullable(Map.of(
                "kafka.partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor").get(name))))
                .isEmpty();
        assertThat(EagerRebalanceCheck.problems(name -> Optional.empty())).as("Kafka's default, RangeAssignor")
                .isEmpty();
    }

    @Test
    void aCooperativeAssignorAnywhereIsNamedWithTheSettingToChange() {
        var problems = EagerRebalanceCheck.problems(name -> Optional.ofNullable(Map.of(
                "kafka.partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor",
                "mp.messaging.incoming.candles-sink.partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor").get(name)));
        assertThat(problems).singleElement().asString()
                .contains("mp.messaging.incoming.candles-sink.partition.assignment.strategy")
                .contains("CooperativeStickyAssignor").contains("RangeAssignor");
    }

    @Test
    void aCooperativeAssignorAmongTheConnectorsChannelDefaultsIsRefusedForEveryChannel() {
        var problems = EagerRebalanceCheck.problems(name -> Optional.ofNullable(Map.of(
                "mp.messaging.connector.smallrye-kafka.partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor").get(name)));
        assertThat(problems).hasSize(IncomingChannels.all().size())
                .allSatisfy(problem -> assertThat(problem).contains("CooperativeStickyAssignor"));
    }

    @Test
    void kafka4sConsumerGroupProtocolIsRefusedForEveryChannel() {
        var problems = EagerRebalanceCheck.problems(name -> Optional.ofNullable(Map.of(
                "kafka.group.protocol", "consumer").get(name)));
        assertThat(problems).hasSize(IncomingChannels.all().size())
                .allSatisfy(problem -> assertThat(problem).contains("group.protocol").contains("consumer")
                        .contains("classic"));
    }
}
