package io.candles.consumer.stage;

import static io.candles.domain.CandlePeriod.ONE_MINUTE;
import static io.candles.domain.CandlePeriod.TEN_MINUTES;
import static io.candles.domain.CandlePeriod.TWO_MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

import io.candles.consumer.PartitionCommit;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;
import io.candles.wire.CandleJson;
import io.candles.wire.PriceJson;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

class CandleStageTest {

    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final int PARTITION = 1;

    private final RecordingEmitter emitter = new RecordingEmitter();
    private final CandlePublisher publisher = new CandlePublisher(emitter);
    /** Names of the inputs whose acknowledgement ran, once per run. */
    private final List<String> acked = new ArrayList<>();
    /** Names of the inputs whose negative acknowledgement ran, with the reason. */
    private final Map<String, Throwable> nacked = new LinkedHashMap<>();
    /** What every input's nack returns, to recognise the nack path in what accept returns. */
    private final CompletableFuture<Void> nackResult = new CompletableFuture<>();
    private long nextOffset;

    @Test
    void aWindowClosesAtItsEndAndItsInputsAreAcknowledgedOnlyOnceItsCandleIsAccepted() {
        CandleStage stage = new CandleStage(ONE_MINUTE, GRACE, publisher, true);

        assertHandedOver(stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")));
        assertHandedOver(stage.accept(price("GAZP", 50, "2026-11-21T16:07:05.000Z")));
        assertHandedOver(stage.accept(price("SBER", 105, "2026-11-21T16:07:30.000Z")));
        assertHandedOver(stage.accept(price("GAZP", 49, "2026-11-21T16:07:40.000Z")));
        assertHandedOver(stage.accept(price("SBER", 98, "2026-11-21T16:07:59.999Z")));
        assertHandedOver(stage.accept(price("GAZP", 52, "2026-11-21T16:07:59.999Z")));

        assertThat(emitter.sent).as("…:07:59.999 still belongs to 16:07").isEmpty();
        assertThat(stage.openWindows()).isEqualTo(2);

        assertHandedOver(stage.accept(price("SBER", 101, "2026-11-21T16:08:00.000Z")));

        assertThat(candlesSent()).containsExactly(
                new Candle("SBER", ONE_MINUTE, 100, 105, 98, 98, Instant.parse("2026-11-21T16:07:00Z")));
        assertRoutedTo(emitter.sent.get(0), "SBER", PARTITION);
        assertThat(acked).as("nothing is acknowledged before Kafka accepted the candle").isEmpty();

        emitter.sent.get(0).ack();

        assertThat(acked).containsExactly("SBER 100.0 2026-11-21T16:07:00Z", "SBER 105.0 2026-11-21T16:07:30Z",
                "SBER 98.0 2026-11-21T16:07:59.999Z");
        assertThat(publisher.accepted(ONE_MINUTE)).isEqualTo(1);

        // GAZP's window stays open within the grace, until its own next price closes it.
        acked.clear();
        assertHandedOver(stage.accept(price("GAZP", 51, "2026-11-21T16:08:00.000Z")));

        assertThat(candlesSent()).hasSize(2).last().isEqualTo(
                new Candle("GAZP", ONE_MINUTE, 50, 52, 49, 52, Instant.parse("2026-11-21T16:07:00Z")));
        assertRoutedTo(emitter.sent.get(1), "GAZP", PARTITION);
        assertThat(acked).isEmpty();

        emitter.sent.get(1).ack();

        assertThat(acked).containsExactly("GAZP 50.0 2026-11-21T16:07:05Z", "GAZP 49.0 2026-11-21T16:07:40Z",
                "GAZP 52.0 2026-11-21T16:07:59.999Z");
        assertThat(stage.received()).isEqualTo(8);
        assertThat(stage.openWindows()).isEqualTo(2);
    }

    @Test
    void aSilentTickersWindowClosesOnceThePartitionsStreamTimePassesItsEndPlusTheGrace() {
        CandleStage stage = new CandleStage(ONE_MINUTE, GRACE, publisher, true);
        stage.accept(price("GAZP", 50, "2026-11-21T16:07:05.000Z"));
        stage.accept(price("SBER", 100, "2026-11-21T16:08:09.999Z"));
        assertThat(emitter.sent).isEmpty();

        stage.accept(price("SBER", 101, "2026-11-21T16:08:10.000Z"));

        assertThat(candlesSent()).containsExactly(
                new Candle("GAZP", ONE_MINUTE, 50, 50, 50, 50, Instant.parse("2026-11-21T16:07:00Z")));
        emitter.sent.get(0).ack();
        assertThat(acked).containsExactly("GAZP 50.0 2026-11-21T16:07:05Z");
    }

    @Test
    void anInvalidPriceIsNackedNamingTheFieldAndLaterPricesStillBecomeCandles() {
        CandleStage stage = new CandleStage(ONE_MINUTE, GRACE, publisher, true);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z"));

        CompletionStage<Void> result = stage.accept(
                input("bad value", "{\"ticker\":\"SBER\",\"value\":\"abc\",\"ts\":\"2026-11-21T16:07:10.000Z\"}"));

        assertCompletesWithTheDeadLetterWrite(result);
        assertThat(nacked).containsOnlyKeys("bad value");
        assertThat(nacked.get("bad value")).hasMessageContaining("price.value");
        assertThat(stage.deadLettered()).isEqualTo(1);

        stage.accept(price("SBER", 101, "2026-11-21T16:07:30.000Z"));
        stage.accept(price("SBER", 102, "2026-11-21T16:08:00.000Z"));

        assertThat(candlesSent()).containsExactly(
                new Candle("SBER", ONE_MINUTE, 100, 101, 100, 101, Instant.parse("2026-11-21T16:07:00Z")));
        emitter.sent.get(0).ack();
        assertThat(acked).containsExactly("SBER 100.0 2026-11-21T16:07:00Z", "SBER 101.0 2026-11-21T16:07:30Z");
        assertThat(nacked).hasSize(1);
    }

    @Test
    void aPriceWhoseTsIsBeyondEpochMillisIsDeadLetteredLikeAnyInvalidPrice() {
        CandleStage stage = new CandleStage(ONE_MINUTE, GRACE, publisher, true);

        CompletionStage<Void> result = stage.accept(
                input("far future", "{\"ticker\":\"SBER\",\"value\":1,\"ts\":\"+300000000-01-01T00:00:00Z\"}"));

        assertCompletesWithTheDeadLetterWrite(result);
        assertThat(nacked).containsOnlyKeys("far future");
        assertThat(nacked.get("far future")).hasMessageContaining("price.ts");
        assertThat(stage.deadLettered()).isEqualTo(1);
    }

    @Test
    void aCandleWhoseTsIsBeyondEpochMillisIsDeadLetteredLikeAnyInvalidCandle() {
        CandleStage stage = new CandleStage(TWO_MINUTES, GRACE, publisher, true);

        CompletionStage<Void> result = stage.accept(input("far future", "{\"ticker\":\"SBER\",\"period\":\"1m\","
                + "\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"ts\":\"+300000000-01-01T00:00:00Z\"}"));

        assertCompletesWithTheDeadLetterWrite(result);
        assertThat(nacked.get("far future")).hasMessageContaining("candle.ts");
        assertThat(stage.deadLettered()).isEqualTo(1);
    }

    @Test
    void aLatePriceIsAcknowledgedAtOnceAndLeftOutOfItsWindow() {
        CandleStage stage = new CandleStage(ONE_MINUTE, GRACE, publisher, true);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z"));
        stage.accept(price("SBER", 101, "2026-11-21T16:08:00.000Z"));
        assertThat(emitter.sent).hasSize(1);

        CompletionStage<Void> result = stage.accept(price("SBER", 90, "2026-11-21T16:07:30.000Z"));

        assertHandedOver(result);
        assertThat(acked).containsExactly("SBER 90.0 2026-11-21T16:07:30Z");
        assertThat(stage.late()).isEqualTo(1);
        assertThat(emitter.sent).hasSize(1);

        stage.accept(price("SBER", 102, "2026-11-21T16:09:00.000Z"));
        assertThat(candlesSent()).last().isEqualTo(
                new Candle("SBER", ONE_MINUTE, 101, 101, 101, 101, Instant.parse("2026-11-21T16:08:00Z")));
        assertThat(nacked).isEmpty();
    }

    @Test
    void oneMinuteCandlesOfTwoTickersBuildTwoMinuteCandles() {
        CandleStage stage = new CandleStage(TWO_MINUTES, GRACE, publisher, true);

        stage.accept(candle(oneMinute("SBER", 100, 104, 99, 103, "16:06")));
        stage.accept(candle(oneMinute("GAZP", 50, 51, 48, 49, "16:06")));
        stage.accept(candle(oneMinute("SBER", 103, 103, 97, 98, "16:07")));

        assertThat(candlesSent()).containsExactly(
                new Candle("SBER", TWO_MINUTES, 100, 104, 97, 98, Instant.parse("2026-11-21T16:06:00Z")));
        assertRoutedTo(emitter.sent.get(0), "SBER", PARTITION);

        stage.accept(candle(oneMinute("GAZP", 49, 55, 49, 54, "16:07")));

        assertThat(candlesSent()).hasSize(2).last().isEqualTo(
                new Candle("GAZP", TWO_MINUTES, 50, 55, 48, 54, Instant.parse("2026-11-21T16:06:00Z")));
        assertRoutedTo(emitter.sent.get(1), "GAZP", PARTITION);
        assertThat(acked).isEmpty();

        emitter.sent.get(1).ack();
        assertThat(acked).containsExactly("GAZP 1m 16:06", "GAZP 1m 16:07");
        emitter.sent.get(0).ack();
        assertThat(acked).containsExactly("GAZP 1m 16:06", "GAZP 1m 16:07", "SBER 1m 16:06", "SBER 1m 16:07");
    }

    @Test
    void candlesOfOtherPeriodsOnTheTwoMinuteStageAreAcknowledgedAndIgnored() {
        CandleStage stage = new CandleStage(TWO_MINUTES, GRACE, publisher, true);
        Candle twoMinutes = new Candle("SBER", TWO_MINUTES, 1, 2, 1, 2, Instant.parse("2026-11-21T16:06:00Z"));
        Candle tenMinutes = new Candle("SBER", TEN_MINUTES, 1, 2, 1, 2, Instant.parse("2026-11-21T16:00:00Z"));

        assertHandedOver(stage.accept(input("SBER 2m", CandleJson.write(twoMinutes))));
        assertHandedOver(stage.accept(input("SBER 10m", CandleJson.write(tenMinutes))));

        assertThat(acked).containsExactly("SBER 2m", "SBER 10m");
        assertThat(emitter.sent).isEmpty();
        assertThat(stage.openWindows()).isZero();
        assertThat(stage.received()).isZero();
        assertThat(stage.deadLettered()).isZero();
    }

    @Test
    void aRedeliveredOneMinuteCandleIsAcknowledgedAndCountedAsDuplicate() {
        CandleStage stage = new CandleStage(TWO_MINUTES, GRACE, publisher, true);
        stage.accept(candle(oneMinute("SBER", 100, 104, 99, 103, "16:06")));

        Candle again = oneMinute("SBER", 200, 204, 199, 203, "16:06");
        assertHandedOver(stage.accept(input("SBER 1m 16:06 again", CandleJson.write(again))));

        assertThat(acked).containsExactly("SBER 1m 16:06 again");
        assertThat(stage.duplicates()).isEqualTo(1);

        stage.accept(candle(oneMinute("SBER", 103, 103, 97, 98, "16:07")));
        assertThat(candlesSent()).containsExactly(
                new Candle("SBER", TWO_MINUTES, 100, 104, 97, 98, Instant.parse("2026-11-21T16:06:00Z")));
        emitter.sent.get(0).ack();
        assertThat(acked).containsExactly("SBER 1m 16:06 again", "SBER 1m 16:06", "SBER 1m 16:07");
    }

    @Test
    void aRevokedPartitionIsIgnoredAndOnceAssignedAgainAggregatesFromScratch() throws InterruptedException {
        CandleStage stage = new CandleStage(ONE_MINUTE, GRACE, publisher, true);
        stage.accept(input("before revoke", PriceJson.write(
                new Price("SBER", 100, Instant.parse("2026-11-21T16:07:00.000Z")))));

        assertThat(stage.revoke(List.of(PARTITION), Duration.ZERO)).containsEntry(PARTITION, PartitionCommit.offset(0));

        assertThat(stage.openWindows()).isZero();
        assertHandedOver(stage.accept(price("SBER", 300, "2026-11-21T16:07:30.000Z")));
        assertHandedOver(stage.accept(price("SBER", 301, "2026-11-21T16:08:00.000Z")));
        assertThat(emitter.sent).isEmpty();
        assertThat(acked).isEmpty();
        assertThat(nacked).isEmpty();
        assertThat(stage.openWindows()).isZero();

        stage.assigned(List.of(PARTITION));

        // Read again from the last committed offset, before the first price of the open window.
        stage.accept(price("SBER", 110, "2026-11-21T16:07:00.000Z"));
        stage.accept(price("SBER", 120, "2026-11-21T16:07:30.000Z"));
        stage.accept(price("SBER", 115, "2026-11-21T16:08:00.000Z"));

        assertThat(candlesSent()).containsExactly(
                new Candle("SBER", ONE_MINUTE, 110, 120, 110, 120, Instant.parse("2026-11-21T16:07:00Z")));
        emitter.sent.get(0).ack();
        assertThat(acked).containsExactly("SBER 110.0 2026-11-21T16:07:00Z", "SBER 120.0 2026-11-21T16:07:30Z");
        assertThat(stage.late()).isZero();
        assertThat(stage.duplicates()).isZero();
    }

    private Message<byte[]> price(String ticker, double value, String ts) {
        Price price = new Price(ticker, value, Instant.parse(ts));
        return input(ticker + " " + value + " " + price.ts(), PriceJson.write(price));
    }

    private Message<byte[]> candle(Candle candle) {
        String minute = candle.ts().toString().substring(11, 16);
        return input(candle.ticker() + " " + candle.period().label() + " " + minute, CandleJson.write(candle));
    }

    private static Candle oneMinute(String ticker, double open, double high, double low, double close,
                                    String minute) {
        return new Candle(ticker, ONE_MINUTE, open, high, low, close, Instant.parse("2026-11-21T" + minute + ":00Z"));
    }

    private Message<byte[]> input(String name, String json) {
        return input(name, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A Kafka record of partition 1, acknowledged and nacked into {@link #acked} and {@link #nacked}. */
    private Message<byte[]> input(String name, byte[] value) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("prices", PARTITION, nextOffset++, null, value);
        return Message.of(value, Metadata.of(new IncomingKafkaRecordMetadata<>(record, "prices-in")),
                () -> {
                    acked.add(name);
                    return CompletableFuture.completedFuture(null);
                },
                reason -> {
                    nacked.put(name, reason);
                    return nackResult;
                });
    }

    private List<Candle> candlesSent() {
        return emitter.sent.stream().<Candle> map(Message::getPayload).toList();
    }

    private static void assertHandedOver(CompletionStage<Void> result) {
        assertThat(result.toCompletableFuture()).isCompleted();
    }

    private static void assertRoutedTo(Message<? extends Candle> message, String key, int partition) {
        OutgoingKafkaRecordMetadata<?> kafka = message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertThat(kafka.getKey()).isEqualTo(key);
        assertThat(kafka.getPartition()).isEqualTo(partition);
    }

    /** Records what the publisher sends; acknowledging a recorded message plays Kafka accepting it. */
    private static final class RecordingEmitter implements Emitter<Candle> {

        final List<Message<? extends Candle>> sent = new ArrayList<>();

        @Override
        public <M extends Message<? extends Candle>> void send(M message) {
            sent.add(message);
        }

        @Override
        public CompletionStage<Void> send(Candle candle) {
            throw new UnsupportedOperationException("the publisher sends messages");
        }

        @Override
        public void complete() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void error(Exception e) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isCancelled() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean hasRequests() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aRevocationCommitsUpToTheFirstInputWhoseCandleIsNotOutYet() throws InterruptedException {
        CandleStage stage = new CandleStage(ONE_MINUTE, GRACE, publisher, true);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // offset 0
        stage.accept(price("SBER", 101, "2026-11-21T16:07:30.000Z")); // offset 1
        stage.accept(price("SBER", 102, "2026-11-21T16:08:00.000Z")); // offset 2: closes 16:07, opens 16:08

        emitter.sent.get(0).ack(); // Kafka accepted the 16:07 candle: offsets 0 and 1 are done

        assertThat(stage.revoke(List.of(PARTITION), Duration.ZERO)).containsExactly(Map.entry(PARTITION, PartitionCommit.offset(2)));
    }

    @Test
    void aStageThatDoesNotDeadLetterSkipsAnUnreadableRecordAndAcknowledgesIt() {
        CandleStage stage = new CandleStage(TEN_MINUTES, GRACE, publisher, false);

        CompletionStage<Void> result = stage.accept(input("garbage", "not json"));

        assertThat(result.toCompletableFuture()).isCompleted();
        assertThat(acked).containsExactly("garbage");
        assertThat(nacked).isEmpty();
        assertThat(stage.skipped()).isEqualTo(1);
        assertThat(stage.deadLettered()).isZero();
    }

    @Test
    void aRevocationWaitsForTheCandlesInFlightOfItsPartitionsSoThatTheirInputsAreCommitted() throws Exception {
        CandleStage stage = new CandleStage(ONE_MINUTE, GRACE, publisher, true);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // offset 0
        stage.accept(price("SBER", 102, "2026-11-21T16:08:00.000Z")); // offset 1: the 16:07 candle goes out

        java.util.concurrent.CompletableFuture<Map<Integer, PartitionCommit>> revocation =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return stage.revoke(List.of(PARTITION), Duration.ofSeconds(30));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        // It cannot finish before Kafka accepts the candle (short of its 30 s limit) ...
        assertThat(revocation).isNotDone();
        emitter.sent.get(0).ack();
        // ... and once it has, offset 0 is done and the commit moves past it.
        await().atMost(Duration.ofSeconds(10)).until(revocation::isDone);

        assertThat(revocation.get()).containsExactly(Map.entry(PARTITION, PartitionCommit.offset(1)));
        assertThat(acked).containsExactly("SBER 100.0 2026-11-21T16:07:00Z");
    }

    @Test
    void anAssignmentIsTheWholeAssignmentAndStartsEveryPartitionAfresh() {
        CandleStage stage = new CandleStage(ONE_MINUTE, GRACE, publisher, true);
        stage.assigned(List.of(PARTITION));
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z"));
        assertThat(stage.openWindows()).isEqualTo(1);

        stage.assigned(List.of(PARTITION + 1)); // partition 1 went elsewhere without a revocation (lost)

        assertThat(stage.openWindows()).isZero();
        assertHandedOver(stage.accept(price("SBER", 101, "2026-11-21T16:08:00.000Z")));
        assertThat(stage.openWindows()).isZero();
    }

    /** The stage returned for a dead-lettered record completes when the dead-letter write (the nack) does. */
    private void assertCompletesWithTheDeadLetterWrite(CompletionStage<Void> result) {
        assertThat(result.toCompletableFuture()).isNotDone();
        nackResult.complete(null);
        assertThat(result.toCompletableFuture()).isCompleted();
    }
}
