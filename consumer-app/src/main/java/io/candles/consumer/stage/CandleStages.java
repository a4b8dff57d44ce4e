package io.candles.consumer.stage;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.candles.consumer.CandlesConfig;
import io.candles.consumer.kafka.TopicReader;
import io.candles.consumer.stage.CandleStage.Input;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * The aggregation stages of {@link Stage}, each on its own channel and consumer group: prices to 1m, 1m to 2m, 2m to
 * 10m. Each channel delivers whole polls ({@code batch=true}) and commits nothing itself
 * ({@code commit-strategy=ignore}): {@code ProgressCommits} commits what each {@link CandleStage} allows, every
 * {@code candles.commit-interval}, on revocation and at shutdown.
 */
@ApplicationScoped
public class CandleStages {

    private final Map<Stage, CandleStage> stages = new EnumMap<>(Stage.class);

    @Inject
    CandleStages(CandlesConfig config, CandlePublisher publisher,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Duration grace = positive("candles.grace", config.grace());
        Duration maxAhead = positive("candles.max-ahead", config.maxAhead());
        DeadLetterLedger ledger = DeadLetterLedger.of(new TopicReader(kafkaConfig));
        ledger.prefetch(); // so that the first bad record does not wait for the whole topic to be read
        for (Stage stage : Stage.values()) {
            stages.put(stage, new CandleStage(stage, grace, maxAhead, publisher, ledger));
        }
    }

    /** A zero or negative window setting would close windows before their prices arrive: refuse to start. */
    static Duration positive(String setting, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(setting + " must be more than 0, was " + value
                    + "; set it (env " + setting.toUpperCase().replace('.', '_').replace('-', '_')
                    + ") to e.g. 10s");
        }
        return value;
    }

    @Incoming(Stage.Channels.ONE_MINUTE)
    CompletionStage<Void> prices(KafkaRecordBatch<String, byte[]> batch) {
        return feed(Stage.ONE_MINUTE, batch);
    }

    @Incoming(Stage.Channels.TWO_MINUTES)
    CompletionStage<Void> oneMinuteCandles(KafkaRecordBatch<String, byte[]> batch) {
        return feed(Stage.TWO_MINUTES, batch);
    }

    @Incoming(Stage.Channels.TEN_MINUTES)
    CompletionStage<Void> twoMinuteCandles(KafkaRecordBatch<String, byte[]> batch) {
        return feed(Stage.TEN_MINUTES, batch);
    }

    public CandleStage of(Stage stage) {
        return stages.get(stage);
    }

    /** The stages in {@link Stage} order. */
    public Collection<CandleStage> all() {
        return stages.values();
    }

    /** Each record of the poll into the stage; the batch itself is acknowledged at once (commits are the stage's). */
    private CompletionStage<Void> feed(Stage stage, KafkaRecordBatch<String, byte[]> batch) {
        CandleStage target = stages.get(stage);
        for (KafkaRecord<String, byte[]> record : batch) {
            IncomingKafkaRecord<String, byte[]> incoming = (IncomingKafkaRecord<String, byte[]>) record;
            target.accept(new Input(incoming.getPartition(), incoming.getOffset(),
                    incoming.getTimestamp().toEpochMilli(), incoming.getConsumerGroupGenerationId(),
                    incoming.getPayload(), incoming));
        }
        return batch.ack();
    }
}
