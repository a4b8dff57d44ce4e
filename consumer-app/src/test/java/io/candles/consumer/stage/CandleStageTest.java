package io.candles.consumer.stage;

import static io.candles.domain.CandlePeriod.ONE_MINUTE;
import static io.candles.domain.CandlePeriod.TEN_MINUTES;
import static io.candles.domain.CandlePeriod.TWO_MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.candles.consumer.kafka.PartitionCommit;
import io.candles.consumer.stage.CandleStage.Input;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;
import io.candles.wire.CandleJson;
import io.candles.wire.CandleSerializer;
import io.candles.wire.PriceJson;
import io.candles.wire.Topics;

class CandleStageTest {

    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration MAX_AHEAD = Duration.ofHours(1);
    private static final int PARTITION = 1;
    /** When the test's records were produced: after every ts the tests use, before 2200. */
    private static final long PRODUCED = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

    /** Kafka's test producer: a candle is accepted when the test says so ({@code completeNext}). */
    private final MockProducer<String, Candle> kafka = new MockProducer<>(false, null, new StringSerializer(),
            new CandleSerializer());
    private final CandlePublisher publisher = new CandlePublisher(() -> kafka);
    /** Names of the inputs that were nacked (dead-lettered), with the reason. */
    private final Map<String, Throwable> nacked = new LinkedHashMap<>();
    /** What every nack returns: the dead-letter write, completed by the test. */
    private final CompletableFuture<Void> deadLetterWrite = new CompletableFuture<>();
    private long nextOffset;
    /** The consumer group's generation: the test's records are polled in it. */
    private int generation = 1;
    /** What the dead-letter topic holds already, by origin; empty unless a test puts something there. */
    private final Set<String> alreadyDeadLettered = new HashSet<>();
    private final DeadLetterLedger ledger = new DeadLetterLedger(() -> alreadyDeadLettered);

    @Test
    void aWindowClosesAtItsEndAndItsInputsAreCommittableOnlyOnceKafkaAcceptedItsCandle() {
        CandleStage stage = opened(Stage.ONE_MINUTE);

        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0
        stage.accept(price("GAZP", 50, "2026-11-21T16:07:05.000Z")); // 1
        stage.accept(price("SBER", 105, "2026-11-21T16:07:30.000Z")); // 2
        stage.accept(price("GAZP", 49, "2026-11-21T16:07:40.000Z")); // 3
        stage.accept(price("SBER", 98, "2026-11-21T16:07:59.999Z")); // 4
        stage.accept(price("GAZP", 52, "2026-11-21T16:07:59.999Z")); // 5

        assertThat(kafka.history()).as("…:07:59.999 still belongs to 16:07").isEmpty();
        assertThat(stage.openWindows()).isEqualTo(2);
        assertThat(committable(stage)).isZero();

        stage.accept(price("SBER", 101, "2026-11-21T16:08:00.000Z")); // 6

        assertThat(candlesSent()).containsExactly(
                new Candle("SBER", ONE_MINUTE, 100, 105, 98, 98, Instant.parse("2026-11-21T16:07:00Z")));
        assertRoutedTo(kafka.history().get(0), "SBER", PARTITION);
        assertThat(committable(stage)).as("nothing is done before Kafka accepted the candle").isZero();

        kafka.completeNext();

        assertThat(committable(stage)).as("GAZP's open window starts at 1").isEqualTo(1);
        assertThat(publisher.accepted(ONE_MINUTE)).isEqualTo(1);

        // GAZP's window stays open within the grace, until its own next price closes it.
        stage.accept(price("GAZP", 51, "2026-11-21T16:08:00.000Z")); // 7

        assertThat(candlesSent()).hasSize(2).last().isEqualTo(
                new Candle("GAZP", ONE_MINUTE, 50, 52, 49, 52, Instant.parse("2026-11-21T16:07:00Z")));
        assertRoutedTo(kafka.history().get(1), "GAZP", PARTITION);
        assertThat(committable(stage)).isEqualTo(1);

        kafka.completeNext();

        assertThat(committable(stage)).as("the open 16:08 windows start at 6 and 7").isEqualTo(6);
        assertThat(stage.received()).isEqualTo(8);
        assertThat(stage.openWindows()).isEqualTo(2);
    }

    @Test
    void aSilentTickersWindowClosesOnceThePartitionsStreamTimePassesItsEndPlusTheGrace() {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("GAZP", 50, "2026-11-21T16:07:05.000Z")); // 0
        stage.accept(price("SBER", 100, "2026-11-21T16:08:09.999Z")); // 1
        assertThat(kafka.history()).isEmpty();

        stage.accept(price("SBER", 101, "2026-11-21T16:08:10.000Z")); // 2

        assertThat(candlesSent()).containsExactly(
                new Candle("GAZP", ONE_MINUTE, 50, 50, 50, 50, Instant.parse("2026-11-21T16:07:00Z")));
        kafka.completeNext();
        assertThat(committable(stage)).isEqualTo(1);
    }

    @Test
    void anInvalidPriceIsDeadLetteredNamingTheFieldAndIsNotCommittedPastBeforeTheDeadLetterIsWritten() {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0
        stage.accept(price("SBER", 100.5, "2026-11-21T16:08:00.000Z")); // 1: 16:07 goes out
        kafka.completeNext();

        stage.accept(input("bad value", "{\"ticker\":\"SBER\",\"value\":\"abc\",\"ts\":\"2026-11-21T16:08:10.000Z\"}"));

        assertThat(nacked).containsOnlyKeys("bad value");
        assertThat(nacked.get("bad value")).hasMessageContaining("price.value");
        assertThat(stage.deadLettered()).isEqualTo(1);

        stage.accept(price("SBER", 101, "2026-11-21T16:08:30.000Z")); // 3
        stage.accept(price("SBER", 102, "2026-11-21T16:09:00.000Z")); // 4: 16:08 goes out
        kafka.completeNext();
        assertThat(committable(stage)).as("the dead letter (2) is not written yet").isEqualTo(2);

        deadLetterWrite.complete(null);

        assertThat(committable(stage)).as("the open 16:09 window").isEqualTo(4);
        assertThat(candlesSent()).containsExactly(
                new Candle("SBER", ONE_MINUTE, 100, 100, 100, 100, Instant.parse("2026-11-21T16:07:00Z")),
                new Candle("SBER", ONE_MINUTE, 100.5, 101, 100.5, 101, Instant.parse("2026-11-21T16:08:00Z")));
    }

    @Test
    void aPriceWhoseTsIsBeyondEpochMillisIsDeadLetteredLikeAnyInvalidPrice() {
        CandleStage stage = opened(Stage.ONE_MINUTE);

        stage.accept(input("far future", "{\"ticker\":\"SBER\",\"value\":1,\"ts\":\"+300000000-01-01T00:00:00Z\"}"));

        assertThat(nacked).containsOnlyKeys("far future");
        assertThat(nacked.get("far future")).hasMessageContaining("price.ts");
        assertThat(stage.deadLettered()).isEqualTo(1);
    }

    @Test
    void aCandleWhoseTsIsBeyondEpochMillisIsDeadLetteredLikeAnyInvalidCandle() {
        CandleStage stage = opened(Stage.TWO_MINUTES);

        stage.accept(input("far future", "{\"ticker\":\"SBER\",\"period\":\"1m\","
                + "\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"ts\":\"+300000000-01-01T00:00:00Z\"}"));

        assertThat(nacked.get("far future")).hasMessageContaining("candle.ts");
        assertThat(stage.deadLettered()).isEqualTo(1);
    }

    @Test
    void aPriceFarAheadOfThePartitionsStreamTimeIsDeadLetteredAndClosesNothing() {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0
        stage.accept(price("GAZP", 50, "2026-11-21T16:07:05.000Z")); // 1

        stage.accept(input("from 2200", "{\"ticker\":\"AAPL\",\"value\":1,\"ts\":\"2200-01-01T00:00:00Z\"}")); // 2
        deadLetterWrite.complete(null);

        assertThat(nacked).containsOnlyKeys("from 2200");
        assertThat(nacked.get("from 2200")).hasMessageContaining("ts too far ahead")
                .hasMessageContaining("2200-01-01T00:00:00Z").hasMessageContaining("candles.max-ahead");
        assertThat(kafka.history()).as("the other windows of the partition stay open").isEmpty();
        assertThat(stage.openWindows()).isEqualTo(2);

        stage.accept(price("SBER", 101, "2026-11-21T17:06:59.000Z")); // 3: within the hour, taken
        stage.accept(price("SBER", 102, "2026-11-21T17:08:00.000Z")); // 4: within an hour of 3
        kafka.completeNext();
        kafka.completeNext();
        assertThat(candlesSent()).extracting(Candle::ts).contains(Instant.parse("2026-11-21T16:07:00Z"),
                Instant.parse("2026-11-21T17:06:00Z"));
        assertThat(stage.deadLettered()).isEqualTo(1);
    }

    @Test
    void aCandleFarAheadIsDeadLetteredByTheTwoMinuteStageWhateverItsPeriod() {
        CandleStage stage = opened(Stage.TWO_MINUTES);
        stage.accept(candle(oneMinute("SBER", 1, 1, 1, 1, "16:00")));
        // A 10m candle is not this stage's input, but it moves the stream time of every reader of the topic alike.
        stage.accept(candle(new Candle("SBER", CandlePeriod.TEN_MINUTES, 1, 1, 1, 1,
                Instant.parse("2200-01-01T00:00:00Z"))));
        deadLetterWrite.complete(null);

        assertThat(nacked).hasSize(1);
        assertThat(nacked.values().iterator().next()).hasMessageContaining("ts too far ahead");
    }

    @Test
    void aDeadLetterThatCannotBeWrittenHoldsTheCommitAndIsReportedForLiveness() {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0
        stage.accept(input("bad", "{\"ticker\":\"SBER\",\"value\":-1,\"ts\":\"2026-11-21T16:07:10.000Z\"}")); // 1
        stage.accept(price("SBER", 101, "2026-11-21T16:08:00.000Z")); // 2: 16:07 goes out
        kafka.completeNext();
        assertThat(stage.deadLetterFailure()).isNull();

        deadLetterWrite.completeExceptionally(new IllegalStateException("dead-letter topic not available"));

        assertThat(stage.deadLetterFailure()).contains("prices-1@1").contains("price.value")
                .contains("dead-letter topic not available");
        assertThat(committable(stage)).as("not past the record that was not dead-lettered").isEqualTo(1);

        // Not a refused candle: the candles of the records after it still go out.
        stage.accept(price("SBER", 102, "2026-11-21T16:09:00.000Z")); // 3: 16:08 goes out
        assertThat(kafka.history()).hasSize(2);
        assertThat(stage.held()).isZero();
        kafka.completeNext();
        assertThat(committable(stage)).isEqualTo(1);
    }

    @Test
    void aBadRecordAlreadyInTheDeadLetterTopicIsPassedNotDeadLetteredAgain() {
        alreadyDeadLettered.add(DeadLetterLedger.origin(Topics.PRICES, PARTITION, 1));
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0
        stage.accept(input("bad, read again", "{\"ticker\":\"SBER\",\"value\":-1}")); // 1: in the topic already
        stage.accept(input("bad, new", "{\"ticker\":\"SBER\",\"value\":-2}")); // 2
        deadLetterWrite.complete(null);

        assertThat(nacked).containsOnlyKeys("bad, new");
        assertThat(stage.deadLettered()).isEqualTo(1);
        assertThat(stage.skipped()).isEqualTo(1);
        assertThat(ledger.contains(Topics.PRICES, PARTITION, 2)).as("what this process wrote is known too").isTrue();
        assertThat(committable(stage)).as("the open 16:07 window; nothing held back by offset 1").isZero();
    }

    @Test
    void aLatePriceIsDroppedAndCountedAndHoldsNothingBack() {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0
        stage.accept(price("SBER", 101, "2026-11-21T16:08:00.000Z")); // 1
        kafka.completeNext();

        stage.accept(price("SBER", 90, "2026-11-21T16:07:30.000Z")); // 2

        assertThat(stage.late()).isEqualTo(1);
        assertThat(kafka.history()).hasSize(1);
        assertThat(committable(stage)).isEqualTo(1);

        stage.accept(price("SBER", 102, "2026-11-21T16:09:00.000Z")); // 3
        assertThat(candlesSent()).last().isEqualTo(
                new Candle("SBER", ONE_MINUTE, 101, 101, 101, 101, Instant.parse("2026-11-21T16:08:00Z")));
        kafka.completeNext();
        assertThat(committable(stage)).isEqualTo(3);
        assertThat(nacked).isEmpty();
    }

    @Test
    void oneMinuteCandlesOfTwoTickersBuildTwoMinuteCandles() {
        CandleStage stage = opened(Stage.TWO_MINUTES);

        stage.accept(candle(oneMinute("SBER", 100, 104, 99, 103, "16:06"))); // 0
        stage.accept(candle(oneMinute("GAZP", 50, 51, 48, 49, "16:06"))); // 1
        stage.accept(candle(oneMinute("SBER", 103, 103, 97, 98, "16:07"))); // 2

        assertThat(candlesSent()).containsExactly(
                new Candle("SBER", TWO_MINUTES, 100, 104, 97, 98, Instant.parse("2026-11-21T16:06:00Z")));
        assertRoutedTo(kafka.history().get(0), "SBER", PARTITION);

        stage.accept(candle(oneMinute("GAZP", 49, 55, 49, 54, "16:07"))); // 3

        assertThat(candlesSent()).hasSize(2).last().isEqualTo(
                new Candle("GAZP", TWO_MINUTES, 50, 55, 48, 54, Instant.parse("2026-11-21T16:06:00Z")));
        assertRoutedTo(kafka.history().get(1), "GAZP", PARTITION);
        assertThat(committable(stage)).isZero();

        kafka.completeNext();
        assertThat(committable(stage)).isEqualTo(1);
        kafka.completeNext();
        assertThat(committable(stage)).isEqualTo(4);
    }

    @Test
    void candlesOfOtherPeriodsOnTheTwoMinuteStageAreIgnoredAndCommittedPast() {
        CandleStage stage = opened(Stage.TWO_MINUTES);
        Candle twoMinutes = new Candle("SBER", TWO_MINUTES, 1, 2, 1, 2, Instant.parse("2026-11-21T16:06:00Z"));
        Candle tenMinutes = new Candle("SBER", TEN_MINUTES, 1, 2, 1, 2, Instant.parse("2026-11-21T16:00:00Z"));

        stage.accept(input("SBER 2m", CandleJson.write(twoMinutes)));
        stage.accept(input("SBER 10m", CandleJson.write(tenMinutes)));

        assertThat(committable(stage)).isEqualTo(2);
        assertThat(kafka.history()).isEmpty();
        assertThat(stage.openWindows()).isZero();
        assertThat(stage.received()).isZero();
        assertThat(stage.deadLettered()).isZero();
    }

    @Test
    void aRedeliveredOneMinuteCandleIsCountedAsDuplicateAndLeftOut() {
        CandleStage stage = opened(Stage.TWO_MINUTES);
        stage.accept(candle(oneMinute("SBER", 100, 104, 99, 103, "16:06")));

        Candle again = oneMinute("SBER", 200, 204, 199, 203, "16:06");
        stage.accept(input("SBER 1m 16:06 again", CandleJson.write(again)));

        assertThat(stage.duplicates()).isEqualTo(1);

        stage.accept(candle(oneMinute("SBER", 103, 103, 97, 98, "16:07")));
        assertThat(candlesSent()).containsExactly(
                new Candle("SBER", TWO_MINUTES, 100, 104, 97, 98, Instant.parse("2026-11-21T16:06:00Z")));
        kafka.completeNext();
        assertThat(committable(stage)).isEqualTo(3);
    }

    @Test
    void aPartitionResumedFromItsCommitDeadLettersAFarFutureFirstRecordAndKeepsAggregating() {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.open(Map.of(PARTITION, "stream-time=2026-11-21T16:07:00Z"), generation);

        stage.accept(input("from 2200", "{\"ticker\":\"AAPL\",\"value\":1,\"ts\":\"2200-01-01T00:00:00Z\"}"));
        stage.accept(price("AAPL", 100, "2026-11-21T16:07:10.000Z"));
        stage.accept(price("AAPL", 101, "2026-11-21T16:08:00.000Z"));

        assertThat(nacked).containsOnlyKeys("from 2200");
        assertThat(nacked.get("from 2200")).hasMessageContaining("after 2026-11-21T16:07:00Z, the newest ts");
        assertThat(kafka.history()).singleElement().satisfies(record -> assertThat(record.value().ts())
                .isEqualTo(Instant.parse("2026-11-21T16:07:00Z")));
    }

    @Test
    void aRevokedPartitionIsIgnoredAndOnceAssignedAgainAggregatesFromScratch() throws InterruptedException {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z"));

        // The commit carries the stream time for the next reader of the partition.
        assertThat(stage.close(List.of(PARTITION)))
                .containsEntry(PARTITION, new PartitionCommit(0, "stream-time=2026-11-21T16:07:00Z"));

        assertThat(stage.openWindows()).isZero();
        stage.accept(price("SBER", 300, "2026-11-21T16:07:30.000Z"));
        stage.accept(price("SBER", 301, "2026-11-21T16:08:00.000Z"));
        assertThat(kafka.history()).isEmpty();
        assertThat(stage.openWindows()).isZero();
        assertThat(offsets(stage.preCommit())).isEmpty();

        stage.open(unread(PARTITION), ++generation);

        // Read again from the last committed offset, before the first price of the open window.
        nextOffset = 0;
        stage.accept(price("SBER", 110, "2026-11-21T16:07:00.000Z"));
        stage.accept(price("SBER", 120, "2026-11-21T16:07:30.000Z"));
        stage.accept(price("SBER", 115, "2026-11-21T16:08:00.000Z"));

        assertThat(candlesSent()).containsExactly(
                new Candle("SBER", ONE_MINUTE, 110, 120, 110, 120, Instant.parse("2026-11-21T16:07:00Z")));
        kafka.completeNext();
        assertThat(committable(stage)).isEqualTo(2);
        assertThat(stage.late()).isZero();
        assertThat(stage.duplicates()).isZero();
    }

    @Test
    void aRecordPolledBeforeThePartitionWasAssignedAgainDoesNotBlendIntoTheRebuiltWindow() throws InterruptedException {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0
        stage.accept(price("SBER", 105, "2026-11-21T16:07:30.000Z")); // 1
        stage.close(List.of(PARTITION));
        int polledBefore = generation;
        stage.open(unread(PARTITION), ++generation);

        // The rest of a poll of the old generation, still in the stage's hands when the rebalance came.
        stage.accept(new Input(PARTITION, 2, PRODUCED, polledBefore,
                PriceJson.write(new Price("SBER", 120, Instant.parse("2026-11-21T16:07:45Z"))), Message.of("old")));
        assertThat(stage.openWindows()).isZero();

        // Read again from the commit (offset 0) in the new generation.
        nextOffset = 0;
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0
        stage.accept(price("SBER", 105, "2026-11-21T16:07:30.000Z")); // 1
        stage.accept(price("SBER", 101, "2026-11-21T16:07:45.000Z")); // 2
        stage.accept(price("SBER", 99, "2026-11-21T16:08:00.000Z")); // 3
        assertThat(candlesSent()).containsExactly(
                new Candle("SBER", ONE_MINUTE, 100, 105, 100, 101, Instant.parse("2026-11-21T16:07:00Z")));
    }

    @Test
    void aLostPartitionIsDroppedAtOnceWithNothingToCommit() {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z"));
        stage.accept(price("SBER", 101, "2026-11-21T16:08:00.000Z")); // the 16:07 candle in flight

        stage.lose(List.of(PARTITION));

        assertThat(offsets(stage.preCommit())).isEmpty();
        assertThat(stage.openWindows()).isZero();
        kafka.completeNext(); // its candle settles on the forgotten state
        stage.accept(price("SBER", 102, "2026-11-21T16:09:00.000Z"));
        assertThat(candlesSent()).hasSize(1);
    }

    @Test
    void aRevocationCommitsUpToTheFirstInputWhoseCandleIsNotOutYet() throws InterruptedException {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0
        stage.accept(price("SBER", 101, "2026-11-21T16:07:30.000Z")); // 1
        stage.accept(price("SBER", 102, "2026-11-21T16:08:00.000Z")); // 2: closes 16:07, opens 16:08

        kafka.completeNext(); // Kafka accepted the 16:07 candle: offsets 0 and 1 are done

        assertThat(stage.close(List.of(PARTITION)))
                .containsExactly(Map.entry(PARTITION, new PartitionCommit(2, "stream-time=2026-11-21T16:08:00Z")));
    }

    @Test
    void aStageThatDoesNotDeadLetterSkipsAnUnreadableRecordAndCommitsPastIt() {
        CandleStage stage = opened(Stage.TEN_MINUTES);

        stage.accept(input("garbage", "not json"));

        assertThat(nacked).isEmpty();
        assertThat(stage.skipped()).isEqualTo(1);
        assertThat(stage.deadLettered()).isZero();
        assertThat(committable(stage)).isEqualTo(1);
    }

    @Test
    void aRevocationWaitsForTheCandlesInFlightOfItsPartitionsSoThatTheirInputsAreCommitted() throws Exception {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0
        stage.accept(price("SBER", 102, "2026-11-21T16:08:00.000Z")); // 1: the 16:07 candle goes out

        CompletableFuture<Map<Integer, PartitionCommit>> revocation = CompletableFuture.supplyAsync(() -> {
            try {
                return stage.close(List.of(PARTITION));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // It cannot finish before Kafka accepts the candle (short of its 30 s limit) ...
        assertThat(revocation).isNotDone();
        kafka.completeNext();
        // ... and once it has, offset 0 is done and the commit moves past it.
        await().atMost(Duration.ofSeconds(10)).until(revocation::isDone);

        assertThat(revocation.get()).extractingByKey(PARTITION).extracting(PartitionCommit::offset).isEqualTo(1L);
    }

    @Test
    void aCandleKafkaRefusesKeepsItsInputsUncommittedAndTurnsLivenessDown() {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0
        stage.accept(price("SBER", 102, "2026-11-21T16:08:00.000Z")); // 1: the 16:07 candle goes out
        stage.accept(price("SBER", 103, "2026-11-21T16:09:00.000Z")); // 2: the 16:08 candle goes out

        kafka.errorNext(new org.apache.kafka.common.errors.RecordTooLargeException("refused"));
        kafka.completeNext();

        assertThat(committable(stage)).isZero();
        assertThat(publisher.failure()).contains("SBER 1m 2026-11-21T16:07:00Z", "refused");
        assertThat(publisher.accepted(ONE_MINUTE)).isEqualTo(1);
    }

    @Test
    void afterARefusalTheLaterCandlesOfThePartitionAreHeldSoThatTheRebuildIsNotOvertaken() {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0
        stage.accept(price("SBER", 102, "2026-11-21T16:08:00.000Z")); // 1: the 16:07 candle goes out
        kafka.errorNext(new org.apache.kafka.common.errors.RecordTooLargeException("refused"));

        stage.accept(price("SBER", 103, "2026-11-21T16:09:00.000Z")); // 2: 16:08 closes, held
        stage.accept(price("SBER", 104, "2026-11-21T16:10:00.000Z")); // 3: 16:09 closes, held

        assertThat(kafka.history()).as("only the refused one was sent").hasSize(1);
        assertThat(stage.held()).isEqualTo(2);
        assertThat(committable(stage)).as("nothing after the refused candle's first input").isZero();
    }

    @Test
    void aSendThatWaitsForKafkasIoThreadToRunACallbackDoesNotDeadlockTheStage() {
        // As when send() blocks on a full buffer.memory: Kafka's I/O thread must run callbacks (which take the stage's
        // lock) before send() can return.
        MockProducer<String, Candle> blocking = new MockProducer<>(false, null, new StringSerializer(),
                new CandleSerializer()) {
            @Override
            public java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                    ProducerRecord<String, Candle> record, org.apache.kafka.clients.producer.Callback callback) {
                Thread io = new Thread(() -> callback.onCompletion(null, null), "kafka-producer-network-thread");
                io.start();
                try {
                    io.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return CompletableFuture.completedFuture(null);
            }
        };
        CandleStage stage = opened(new CandleStage(Stage.ONE_MINUTE, GRACE, MAX_AHEAD,
                new CandlePublisher(() -> blocking), ledger));
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0

        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> stage.accept(price("SBER", 102, "2026-11-21T16:08:00.000Z"))); // 1: 16:07 goes out

        assertThat(committable(stage)).as("16:07 accepted: the open 16:08 window").isEqualTo(1);
    }

    @Test
    void onlyWhatMovedSinceTheLastCommitIsCommittedAgain() {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z")); // 0
        stage.accept(price("SBER", 102, "2026-11-21T16:08:00.000Z")); // 1
        kafka.completeNext();
        stage.committed(Map.of(PARTITION, new PartitionCommit(1, null)));

        assertThat(offsets(stage.preCommit())).isEmpty();

        stage.accept(price("SBER", 103, "2026-11-21T16:09:00.000Z")); // 2
        kafka.completeNext();

        assertThat(offsets(stage.preCommit())).containsExactly(Map.entry(PARTITION, 2L));
    }

    @Test
    void anAssignmentIsTheWholeAssignmentAndStartsEveryPartitionAfresh() {
        CandleStage stage = opened(Stage.ONE_MINUTE);
        stage.open(unread(PARTITION), ++generation);
        stage.accept(price("SBER", 100, "2026-11-21T16:07:00.000Z"));
        assertThat(stage.openWindows()).isEqualTo(1);

        stage.open(unread(PARTITION + 1), ++generation); // partition 1 went elsewhere without a revocation (lost)

        assertThat(stage.openWindows()).isZero();
        stage.accept(price("SBER", 101, "2026-11-21T16:08:00.000Z"));
        assertThat(stage.openWindows()).isZero();
        assertThat(offsets(stage.preCommit())).isEmpty();
    }

    /** The offset the stage would commit for {@link #PARTITION} now. */
    private static long committable(CandleStage stage) {
        return offsets(stage.preCommit()).get(PARTITION);
    }

    private static Map<Integer, Long> offsets(Map<Integer, PartitionCommit> commits) {
        Map<Integer, Long> offsets = new LinkedHashMap<>();
        commits.forEach((partition, commit) -> offsets.put(partition, commit.offset()));
        return offsets;
    }

    /** A stage that owns {@link #PARTITION}, read from its start. */
    private CandleStage opened(Stage stage) {
        return opened(new CandleStage(stage, GRACE, MAX_AHEAD, publisher, ledger));
    }

    private CandleStage opened(CandleStage stage) {
        stage.open(unread(PARTITION), generation);
        return stage;
    }

    /** An assignment of this partition, without a commit yet. */
    private static Map<Integer, String> unread(int partition) {
        Map<Integer, String> metadata = new HashMap<>();
        metadata.put(partition, null);
        return metadata;
    }

    private Input price(String ticker, double value, String ts) {
        Price price = new Price(ticker, value, Instant.parse(ts));
        return input(ticker + " " + value + " " + price.ts(), PriceJson.write(price));
    }

    private Input candle(Candle candle) {
        String minute = candle.ts().toString().substring(11, 16);
        return input(candle.ticker() + " " + candle.period().label() + " " + minute, CandleJson.write(candle));
    }

    private static Candle oneMinute(String ticker, double open, double high, double low, double close,
                                    String minute) {
        return new Candle(ticker, ONE_MINUTE, open, high, low, close, Instant.parse("2026-11-21T" + minute + ":00Z"));
    }

    private Input input(String name, String json) {
        return input(name, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The next record of partition 1; nacking it records the reason in {@link #nacked}. */
    private Input input(String name, byte[] value) {
        Message<byte[]> message = Message.of(value).withNack(reason -> {
            nacked.put(name, reason);
            return deadLetterWrite;
        });
        return new Input(PARTITION, nextOffset++, PRODUCED, generation, value, message);
    }

    private List<Candle> candlesSent() {
        return kafka.history().stream().map(ProducerRecord::value).toList();
    }

    private static void assertRoutedTo(ProducerRecord<String, Candle> record, String key, int partition) {
        assertThat(record.topic()).isEqualTo(Topics.CANDLES);
        assertThat(record.key()).isEqualTo(key);
        assertThat(record.partition()).isEqualTo(partition);
    }
}
