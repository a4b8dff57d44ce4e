package io.candles.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.candles.localkafka.FreePort;
import io.candles.localkafka.LocalKafkaBroker;
import io.candles.localkafka.LocalKafkaSettings;
import io.candles.localpipeline.AppProcess;
import io.candles.wire.PriceJson;
import io.candles.wire.Topics;

/**
 * The packaged producer as a real process against the real embedded broker: SIGTERM, restart, absent broker.
 * Runs in the integration-test phase, after {@code package} built target/quarkus-app.
 */
class ProducerProcessIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Pattern STOPPED = Pattern.compile("Stopped: generated (\\d+) prices, Kafka acknowledged (\\d+)");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path logs;

    @Test
    void sigtermDeliversEveryGeneratedPriceAndARestartNeverGoesBackInSimulatedTime() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaSettings.forTests())) {
            long firstRun;
            try (AppProcess producer = startProducer(broker.bootstrapServers(), "first.log")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> recordsIn(broker).size() >= 200);
                producer.terminate(STOP_TIMEOUT);
                firstRun = acknowledgedAtStop(producer);
            }
            List<ConsumerRecord<String, String>> afterFirst = recordsIn(broker);
            assertThat(afterFirst).hasSize((int) firstRun);
            Instant newestOfFirstRun = afterFirst.stream().map(r -> PriceJson.read(r.value()).ts())
                    .max(Instant::compareTo).orElseThrow();

            try (AppProcess producer = startProducer(broker.bootstrapServers(), "second.log")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> recordsIn(broker).size() >= firstRun + 200);
                producer.terminate(STOP_TIMEOUT);
                long secondRun = acknowledgedAtStop(producer);
                List<ConsumerRecord<String, String>> all = recordsIn(broker);
                assertThat(all).hasSize((int) (firstRun + secondRun));
                Set<String> firstRunPositions = afterFirst.stream().map(ProducerProcessIT::position)
                        .collect(Collectors.toSet());
                List<Instant> secondRunTimes = all.stream().filter(r -> !firstRunPositions.contains(position(r)))
                        .map(r -> PriceJson.read(r.value()).ts()).toList();
                assertThat(secondRunTimes).hasSize((int) secondRun).allMatch(ts -> ts.isAfter(newestOfFirstRun));
            }
        }
    }

    @Test
    void waitsNotReadyForABrokerThatComesLaterThenDeliversEverything() throws Exception {
        int kafkaPort = FreePort.pick();
        try (AppProcess producer = startProducer("127.0.0.1:" + kafkaPort, "late-broker.log")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> producer.httpStatus("/q/health/live") == 200);
            assertThat(producer.httpStatus("/q/health/ready")).isEqualTo(503);

            try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaSettings.forTests().withPort(kafkaPort))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> producer.httpStatus("/q/health/ready") == 200);
                await().atMost(Duration.ofSeconds(60)).until(() -> recordsIn(broker).size() >= 100);
                producer.terminate(STOP_TIMEOUT);
                assertThat(recordsIn(broker)).hasSize((int) acknowledgedAtStop(producer));
            }
        }
    }

    private AppProcess startProducer(String bootstrapServers, String logName) throws Exception {
        Path log = logs.resolve(logName);
        Files.createFile(log);
        return AppProcess.start(JAR, log, FreePort.pick(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "GENERATOR_DELAY", "20ms"));
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return record.partition() + "@" + record.offset();
    }

    /** The shutdown line's counts must agree; returns them. */
    private static long acknowledgedAtStop(AppProcess producer) {
        Matcher stopped = STOPPED.matcher(producer.log());
        assertThat(stopped.find()).as("shutdown summary in log:%n%s", producer.log()).isTrue();
        assertThat(stopped.group(2)).isEqualTo(stopped.group(1));
        return Long.parseLong(stopped.group(1));
    }

    private static List<ConsumerRecord<String, String>> recordsIn(LocalKafkaBroker broker) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PRICES).stream()
                    .map(info -> new TopicPartition(Topics.PRICES, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
