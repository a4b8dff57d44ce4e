package io.candles.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.RebalanceProtocol;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start, naming the setting, unless every incoming Kafka channel
 * <ul>
 *   <li>rebalances with the eager protocol. The rebalance listener relies on it: each rebalance revokes every
 *       partition (so the revocation commit carries all the work done) and hands over the whole new assignment. The
 *       cooperative protocol (an assignor that supports it, such as {@code CooperativeStickyAssignor}) and Kafka 4's
 *       consumer group protocol ({@code group.protocol=consumer}) revoke only some partitions and would break that
 *       silently;</li>
 *   <li>has its own name as its consumer group: {@link ProgressCommits} finds a rebalance's stage or sink by the
 *       group, and the operations tools (bin/pipeline's status, the KEDA trigger) find each stage's lag by it.</li>
 * </ul>
 */
@Singleton
class ChannelSettingsCheck {

    /** Where connector-wide channel defaults live; a channel's own setting wins over them, they over kafka.*. */
    private static final String CONNECTOR = "mp.messaging.connector.smallrye-kafka.";

    /** Before the messaging channels start (they observe the same event at {@code LIBRARY_BEFORE}) and join groups. */
    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        List<String> problems = problems(name -> config.getOptionalValue(name, String.class));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("consumer-app cannot start with these channel settings: "
                    + String.join("; ", problems));
        }
    }

    /** What is wrong, one entry per setting, read through {@code setting}; empty when all is well. */
    static List<String> problems(Function<String, Optional<String>> setting) {
        List<String> problems = new ArrayList<>();
        for (String channel : IncomingChannels.all()) {
            String prefix = "mp.messaging.incoming." + channel + ".";
            String strategyName = prefix + "partition.assignment.strategy";
            Optional<String> strategies = setting.apply(strategyName)
                    .or(() -> setting.apply(CONNECTOR + "partition.assignment.strategy"))
                    .or(() -> setting.apply("kafka.partition.assignment.strategy"));
            for (String assignor : strategies.map(value -> value.split(",")).orElse(new String[0])) {
                if (cooperative(assignor.strip())) {
                    problems.add(strategyName + " (or kafka.partition.assignment.strategy) names " + assignor.strip()
                            + ", which rebalances cooperatively; use org.apache.kafka.clients.consumer.RangeAssignor");
                }
            }
            String groupName = prefix + "group.id";
            Optional<String> group = setting.apply(groupName).or(() -> setting.apply(CONNECTOR + "group.id"))
                    .or(() -> setting.apply("kafka.group.id"));
            if (!group.map(String::strip).filter(channel::equals).isPresent()) {
                problems.add(groupName + " is " + group.orElse("not set") + "; it must be " + channel
                        + ", the channel's name: the app finds the channel's work by its group");
            }
            String protocolName = prefix + "group.protocol";
            setting.apply(protocolName).or(() -> setting.apply(CONNECTOR + "group.protocol"))
                    .or(() -> setting.apply("kafka.group.protocol"))
                    .filter(protocol -> !protocol.strip().equalsIgnoreCase("classic"))
                    .ifPresent(protocol -> problems.add(protocolName + " (or kafka.group.protocol) is " + protocol
                            + ", which rebalances incrementally; use classic (the default)"));
        }
        return problems;
    }

    private static boolean cooperative(String assignorClass) {
        try {
            Object assignor = Class.forName(assignorClass, true, ChannelSettingsCheck.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
            return assignor instanceof ConsumerPartitionAssignor partitionAssignor
                    && partitionAssignor.supportedProtocols().contains(RebalanceProtocol.COOPERATIVE);
        } catch (ReflectiveOperationException | LinkageError e) {
            // Kafka names an unknown class itself when the consumer starts; nothing to add here.
            return false;
        }
    }
}
