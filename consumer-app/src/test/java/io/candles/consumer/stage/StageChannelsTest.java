package io.candles.consumer.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.candles.consumer.IncomingChannels;
import io.candles.consumer.Polls;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;
import io.candles.wire.CandleJson;
import io.candles.wire.PriceJson;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecordBatch;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

/**
 * Channel wiring without a broker: whole polls (record batches with their Kafka metadata) in, candles to the producer.
 */
@QuarkusTest
@TestProfile(StageChannelsTest.InMemoryChannels.class)
class StageChannelsTest {

    private static final Instant START = Instant.parse("2026-11-21T16:07:00Z");

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    MockCandleProducer kafka;

    @Inject
    CandleStages stages;

    @Test
    void aPollOfPricesBecomesOneMinuteCandlesAndAPollOfThoseBecomesTwoMinuteCandles() {
        List<byte[]> prices = List.of(
                PriceJson.write(new Price("SBER", 100, START)),
                PriceJson.write(new Price("SBER", 104, START.plusSeconds(30))),
                PriceJson.write(new Price("SBER", 101, START.plusSeconds(60))),
                PriceJson.write(new Price("SBER", 99, START.plusSeconds(120))));

        // Assigned partition 0 in generation 1, its commit without a stream time.
        stages.of(Stage.ONE_MINUTE).open(Map.of(0, ""), 1);
        stages.of(Stage.TWO_MINUTES).open(Map.of(0, ""), 1);

        connector.source(Stage.ONE_MINUTE.channel()).send(poll(Stage.ONE_MINUTE, prices));

        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.sent().size() == 2);
        assertThat(kafka.sent()).containsExactly(
                new Candle("SBER", CandlePeriod.ONE_MINUTE, 100, 104, 100, 104, START),
                new Candle("SBER", CandlePeriod.ONE_MINUTE, 101, 101, 101, 101, START.plusSeconds(60)));

        connector.source(Stage.TWO_MINUTES.channel()).send(poll(Stage.TWO_MINUTES,
                kafka.sent().stream().map(CandleJson::write).toList()));

        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.sent().size() == 3);
        assertThat(kafka.sent().get(2)).isEqualTo(
                new Candle("SBER", CandlePeriod.TWO_MINUTES, 100, 104, 100, 104, Instant.parse("2026-11-21T16:06:00Z")));
    }

    private static IncomingKafkaRecordBatch<String, byte[]> poll(Stage stage, List<byte[]> values) {
        return Polls.of(stage.channel(), stage.inputTopic(), 0, 0, 1, values);
    }

    /** Every channel on the in-memory connector (no Kafka client at all) and Kafka's MockProducer for candles. */
    public static class InMemoryChannels implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>();
            for (String channel : IncomingChannels.all()) {
                overrides.put("mp.messaging.incoming." + channel + ".connector", "smallrye-in-memory");
            }
            overrides.put("mp.messaging.outgoing.candles-out.connector", "smallrye-in-memory");
            overrides.put("mp.messaging.outgoing.candles-sink-marks.connector", "smallrye-in-memory");
            overrides.put("candles.output-dir", "target/stage-channels-test");
            return overrides;
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MockCandleProducer.class);
        }
    }
}
