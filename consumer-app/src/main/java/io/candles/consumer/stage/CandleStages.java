package io.candles.consumer.stage;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.candles.consumer.CandlesConfig;
import io.candles.consumer.RevocationCommit;
import io.candles.domain.CandlePeriod;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/** The three aggregation stages, each on its own channel and consumer group: prices to 1m, 1m to 2m, 2m to 10m. */
@ApplicationScoped
public class CandleStages {

    /** How long a revocation waits for candles in flight, so that their inputs are committed by this instance. */
    private static final Duration SETTLE_ON_REVOKE = Duration.ofSeconds(10);

    private final CandleStage oneMinute;
    private final CandleStage twoMinutes;
    private final CandleStage tenMinutes;

    @Inject
    CandleStages(CandlesConfig config, CandlePublisher publisher) {
        this.oneMinute = new CandleStage(CandlePeriod.ONE_MINUTE, config.grace(), publisher, true);
        // The 2m and 10m stages read the same topic: only the first of them dead-letters an unreadable record.
        this.twoMinutes = new CandleStage(CandlePeriod.TWO_MINUTES, config.grace(), publisher, true);
        this.tenMinutes = new CandleStage(CandlePeriod.TEN_MINUTES, config.grace(), publisher, false);
    }

    @Incoming("prices-in")
    CompletionStage<Void> prices(Message<byte[]> price) {
        return oneMinute.accept(price);
    }

    @Incoming("candles-1m-in")
    CompletionStage<Void> oneMinuteCandles(Message<byte[]> candle) {
        return twoMinutes.accept(candle);
    }

    @Incoming("candles-2m-in")
    CompletionStage<Void> twoMinuteCandles(Message<byte[]> candle) {
        return tenMinutes.accept(candle);
    }

    public List<CandleStage> all() {
        return List.of(oneMinute, twoMinutes, tenMinutes);
    }

    @Produces
    @Identifier("stage-1m")
    KafkaConsumerRebalanceListener oneMinuteRebalance() {
        return rebalanceListenerOf(oneMinute);
    }

    @Produces
    @Identifier("stage-2m")
    KafkaConsumerRebalanceListener twoMinutesRebalance() {
        return rebalanceListenerOf(twoMinutes);
    }

    @Produces
    @Identifier("stage-10m")
    KafkaConsumerRebalanceListener tenMinutesRebalance() {
        return rebalanceListenerOf(tenMinutes);
    }

    private KafkaConsumerRebalanceListener rebalanceListenerOf(CandleStage stage) {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                stage.assigned(RevocationCommit.numbers(partitions));
            }

            @Override
            public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                if (partitions.isEmpty()) {
                    return;
                }
                try {
                    RevocationCommit.commit(consumer, partitions,
                            stage.revoke(RevocationCommit.numbers(partitions), SETTLE_ON_REVOKE));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
