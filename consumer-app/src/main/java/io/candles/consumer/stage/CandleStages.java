package io.candles.consumer.stage;

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
import io.candles.domain.CandlePeriod;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/** The three aggregation stages, each on its own channel and consumer group: prices to 1m, 1m to 2m, 2m to 10m. */
@ApplicationScoped
public class CandleStages {

    private final CandleStage oneMinute;
    private final CandleStage twoMinutes;
    private final CandleStage tenMinutes;

    @Inject
    CandleStages(CandlesConfig config, CandlePublisher publisher) {
        this.oneMinute = new CandleStage(CandlePeriod.ONE_MINUTE, config.grace(), publisher);
        this.twoMinutes = new CandleStage(CandlePeriod.TWO_MINUTES, config.grace(), publisher);
        this.tenMinutes = new CandleStage(CandlePeriod.TEN_MINUTES, config.grace(), publisher);
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

    private static KafkaConsumerRebalanceListener rebalanceListenerOf(CandleStage stage) {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                stage.assigned(numbers(partitions));
            }

            @Override
            public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                stage.revoked(numbers(partitions));
            }

            @Override
            public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                stage.revoked(numbers(partitions));
            }
        };
    }

    static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).toList();
    }
}
