package io.candles.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;
import io.candles.domain.Price;
import io.candles.localkafka.FreePort;
import io.candles.localkafka.LocalKafkaBroker;
import io.candles.localkafka.LocalKafkaSettings;
import io.candles.localpipeline.AppProcess;
import io.candles.partitioning.TickerPartitioner;
import io.candles.testkit.KafkaTopics;
import io.candles.wire.CandleJson;
import io.candles.wire.PriceJson;
import io.candles.wire.Topics;

/**
 * The packaged producer as a real process against the real embedded broker: SIGTERM with prices in flight, restart,
 * a broker that comes late, a broker that goes away and comes back. Runs in the integration-test phase, after
 * {@code package} built target/quarkus-app.
 */
class ProducerProcessIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Pattern STOPPED = Pattern.compile("Stopped: generated (\\d+) prices, Kafka acknowledged (\\d+)");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path logs;

    @Test
    void sigtermDeliversEveryGeneratedPriceAndARestartNeverGoesBackInSimulatedTime() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaSettings.forTests())) {
            KafkaTopics topics = new KafkaTopics(broker.bootstrapServers());
            long firstRun;
            try (AppProcess producer = startProducer(broker.bootstrapServers(), "first.log", Map.of())) {
                await().atMost(WAIT).until(() -> topics.count(Topics.PRICES) >= 200);
                producer.terminate(STOP_TIMEOUT);
                firstRun = acknowledgedAtStop(producer);
            }
            List<ConsumerRecord<byte[], byte[]>> afterFirst = topics.readAll(Topics.PRICES);
            assertThat(afterFirst).hasSize((int) firstRun);
            Instant newestOfFirstRun = afterFirst.stream().map(r -> PriceJson.read(r.value()).ts())
                    .max(Instant::compareTo).orElseThrow();

            try (AppProcess producer = startProducer(broker.bootstrapServers(), "second.log", Map.of())) {
                await().atMost(WAIT).until(() -> topics.count(Topics.PRICES) >= firstRun + 200);
                producer.terminate(STOP_TIMEOUT);
                long secondRun = acknowledgedAtStop(producer);
                List<ConsumerRecord<byte[], byte[]>> all = topics.readAll(Topics.PRICES);
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
    void sigtermInLoadModeWithPricesInFlightLosesNoneAndEveryRecordIsOnItsTickersPartition() throws Exception {
        int tickers = 200;
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaSettings.forTests())) {
            KafkaTopics topics = new KafkaTopics(broker.bootstrapServers());
            long generated;
            try (AppProcess producer = startProducer(broker.bootstrapServers(), "load.log", Map.of(
                    "GENERATOR_LOAD_ENABLED", "true",
                    "GENERATOR_LOAD_TICKERS", String.valueOf(tickers),
                "GENERATOR_LOAD_RATE", "50000"))) {
                // At this rate the channel always has prices in flight when SIGTERM comes.
                await().atMost(WAIT).until(() -> topics.count(Topics.PRICES) >= 20_000);
                producer.terminate(STOP_TIMEOUT);
                generated = acknowledgedAtStop(producer);
            }
            List<ConsumerRecord<byte[], byte[]>> records = topics.readAll(Topics.PRICES);
            assertThat(records).hasSize((int) generated);
            TickerPartitioner partitioner = new TickerPartitioner(PriceGenerator.loadTickers(tickers), 3);
            Map<String, Long> perTicker = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                Price price = PriceJson.read(record.value());
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(price.ticker());
                assertThat(record.partition()).as("partition of %s", price.ticker())
                        .isEqualTo(partitioner.partitionOf(price.ticker()));
                perTicker.merge(price.ticker(), 1L, Long::sum);
            }
            assertThat(perTicker).hasSize(tickers);
        }
    }

    @Test
    void resumesAfterWhatWasSentWhenTheLastPricesAreUnreadableOrRetentionDeletedThem() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaSettings.forTests())) {
            KafkaTopics topics = new KafkaTopics(broker.bootstrapServers());
            topics.createPipelineTopics(3);
            Instant sent = Instant.parse("2031-01-01T00:00:00Z");
            topics.sendRaw(Topics.PRICES, 0, "AAPL", PriceJson.write(new Price("AAPL", 100, sent)));
            for (int partition = 0; partition < 3; partition++) {
                topics.sendRaw(Topics.PRICES, partition, "AAPL", "not a price".getBytes(StandardCharsets.UTF_8));
            }
            try (AppProcess producer = startProducer(broker.bootstrapServers(), "unreadable-tail.log", Map.of())) {
                await().atMost(WAIT).until(() -> producer.httpStatus("/q/health/ready") == 200);
                await().atMost(WAIT).until(() -> topics.count(Topics.PRICES) >= 4 + 20);
                producer.terminate(STOP_TIMEOUT);
            }
            assertThat(newPrices(topics, sent)).as("after the last readable price, not the wall clock").isNotEmpty()
                    .allMatch(ts -> ts.isAfter(sent));

            // Retention deleted every price; the candles topic still says how far simulated time had got.
            Instant candleEnd = Instant.parse("2032-01-01T00:10:00Z");
            topics.sendRaw(Topics.CANDLES, 0, "AAPL", CandleJson.write(new Candle(
                    "AAPL", CandlePeriod.TEN_MINUTES, 1, 1, 1, 1,
                    Instant.parse("2032-01-01T00:00:00Z"))));
            try (Admin admin = Admin.create(
                    Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                Map<TopicPartition, RecordsToDelete> all = new HashMap<>();
                for (int partition = 0; partition < 3; partition++) {
                    TopicPartition topicPartition = new TopicPartition(Topics.PRICES, partition);
                    long end = admin.listOffsets(Map.of(topicPartition,
                            OffsetSpec.latest())).all().get().get(topicPartition)
                            .offset();
                    all.put(topicPartition, RecordsToDelete.beforeOffset(end));
                }
                admin.deleteRecords(all).all().get();
            }
            assertThat(topics.readAll(Topics.PRICES)).isEmpty();
            try (AppProcess producer = startProducer(broker.bootstrapServers(), "deleted.log", Map.of())) {
                await().atMost(WAIT).until(() -> producer.httpStatus("/q/health/ready") == 200);
                await().atMost(WAIT).until(() -> topics.count(Topics.PRICES) >= 20);
                producer.terminate(STOP_TIMEOUT);
            }
            assertThat(newPrices(topics, Instant.EPOCH)).isNotEmpty()
                    .allMatch(ts -> !ts.isBefore(candleEnd));
        }
    }

    /** The ts of every readable price in the topic after {@code after}. */
    private static List<Instant> newPrices(KafkaTopics topics, Instant after) {
        List<Instant> times = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : topics.readAll(Topics.PRICES)) {
            try {
                Instant ts = PriceJson.read(record.value()).ts();
                if (ts.isAfter(after) || after.equals(Instant.EPOCH)) {
                    times.add(ts);
                }
            } catch (InvalidRecordException e) {
                // the seeded garbage
            }
        }
        return times;
    }

    @Test
    void waitsNotReadyForABrokerThatComesLaterThenDeliversEverything() throws Exception {
        int kafkaPort = FreePort.pick();
        try (AppProcess producer = startProducer("127.0.0.1:" + kafkaPort, "late-broker.log", Map.of())) {
            await().atMost(WAIT).until(() -> producer.httpStatus("/q/health/live") == 200);
            assertThat(producer.httpStatus("/q/health/ready")).isEqualTo(503);

            try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaSettings.forTests().withPort(kafkaPort))) {
                KafkaTopics topics = new KafkaTopics(broker.bootstrapServers());
                await().atMost(WAIT).until(() -> producer.httpStatus("/q/health/ready") == 200);
                await().atMost(WAIT).until(() -> topics.count(Topics.PRICES) >= 100);
                producer.terminate(STOP_TIMEOUT);
                assertThat(topics.count(Topics.PRICES)).isEqualTo(acknowledgedAtStop(producer));
            }
        }
    }

    @Test
    void aBrokerThatGoesAwayAndComesBackLosesNoPrice(@TempDir Path kafkaData) throws Exception {
        LocalKafkaSettings settings = LocalKafkaSettings.forTests().withPort(FreePort.pick()).withDataDir(kafkaData);
        String bootstrap = "127.0.0.1:" + settings.port();
        KafkaTopics topics = new KafkaTopics(bootstrap);
        try (AppProcess producer = startProducer(bootstrap, "broker-away.log", Map.of(
                "GENERATOR_MAX_IN_FLIGHT", "300",
                "GENERATOR_PROGRESS_INTERVAL", "1s"))) {
            long beforeOutage;
            try (LocalKafkaBroker broker = LocalKafkaBroker.start(settings)) {
                await().atMost(WAIT).until(() -> topics.count(Topics.PRICES) >= 100);
                beforeOutage = topics.count(Topics.PRICES);
            }
            // The broker is away: the channel asks for no more than max-in-flight, the generator waits, and the
            // channel's readiness check (the producer's connection count) says so.
            await().atMost(WAIT).until(() -> producer.log().contains("in flight 300"));
            await().atMost(WAIT).until(() -> producer.httpStatus("/q/health/ready") == 503);
            try (LocalKafkaBroker broker = LocalKafkaBroker.start(settings)) {
                // The 300 that waited, then new ones.
                await().atMost(WAIT).until(() -> topics.count(Topics.PRICES) >= beforeOutage + 300 + 100);
                await().atMost(WAIT).until(() -> producer.httpStatus("/q/health/ready") == 200);
                producer.terminate(STOP_TIMEOUT);
                assertThat(producer.log()).doesNotContain("Kafka refused");
                assertThat(topics.count(Topics.PRICES)).isEqualTo(acknowledgedAtStop(producer));
            }
        }
    }

    private AppProcess startProducer(String bootstrapServers, String logName, Map<String, String> env)
            throws Exception {
        Path log = logs.resolve(logName);
        Files.createFile(log);
        Map<String, String> withDefaults = new HashMap<>(env);
        withDefaults.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        withDefaults.putIfAbsent("GENERATOR_DELAY", "20ms");
        return AppProcess.start(JAR, log, FreePort.pick(), withDefaults);
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
}
