package io.candles.consumer.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;
import io.candles.wire.CandleJson;
import io.candles.wire.PriceJson;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

/** Channel wiring without a broker: whole polls ({@code Message<List<byte[]>>}) in, candles to the producer. */
@QuarkusTest
@TestProfile(StageChannelsTest.InMemoryChannels.class)
class StageChannelsTest {

    private static final Instant START = Instant.parse("2026-11-21T16:07:00Z");

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    MockCandleProducer kafka;

    @Test
    void aPollOfPricesBecomesOneMinuteCandlesAndAPollOfThoseBecomesTwoMinuteCandles() {
        List<byte[]> prices = List.of(
                PriceJson.write(new Price("SBER", 100, START)),
                PriceJson.write(new Price("SBER", 104, START.plusSeconds(30))),
                PriceJson.write(new Price("SBER", 101, START.plusSeconds(60))),
                PriceJson.write(new Price("SBER", 99, START.plusSeconds(120))));

        connector.source("prices-in").send(Message.of(prices));

        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.sent().size() == 2);
        assertThat(kafka.sent()).containsExactly(
                new Candle("SBER", CandlePeriod.ONE_MINUTE, 100, 104, 100, 104, START),
                new Candle("SBER", CandlePeriod.ONE_MINUTE, 101, 101, 101, 101, START.plusSeconds(60)));

        connector.source("candles-1m-in").send(Message.of(
                kafka.sent().stream().map(CandleJson::write).toList()));

        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.sent().size() == 3);
        assertThat(kafka.sent().get(2)).isEqualTo(
                new Candle("SBER", CandlePeriod.TWO_MINUTES, 100, 104, 100, 104, Instant.parse("2026-11-21T16:06:00Z")));
    }

    /** Every channel on the in-memory connector (no Kafka client at all) and Kafka's MockProducer for candles. */
    public static class InMemoryChannels implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mp.messaging.incoming.prices-in.connector", "smallrye-in-memory",
                    "mp.messaging.incoming.candles-1m-in.connector", "smallrye-in-memory",
                    "mp.messaging.incoming.candles-2m-in.connector", "smallrye-in-memory",
                    "mp.messaging.incoming.candles-sink.connector", "smallrye-in-memory",
                    "mp.messaging.outgoing.candles-out.connector", "smallrye-in-memory",
                    "candles.output-dir", "target/stage-channels-test");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MockCandleProducer.class);
        }
    }
}
