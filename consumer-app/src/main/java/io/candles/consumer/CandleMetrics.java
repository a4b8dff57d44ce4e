package io.candles.consumer;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.candles.consumer.sink.CandleBatchWriter;
import io.candles.consumer.sink.CandleSink;
import io.candles.consumer.stage.CandlePublisher;
import io.candles.consumer.stage.CandleStage;
import io.candles.consumer.stage.CandleStages;
import io.candles.consumer.stage.DeadLetterReason;
import io.candles.domain.CandlePeriod;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The consumer's counters as Prometheus meters at {@code /q/metrics}, tagged {@code period} where one applies:
 * {@code candles_published_total}, {@code candles_written_total}, {@code candles_buffered},
 * {@code candle_batches_written_total}, {@code candle_batch_write_seconds} (per delivery: appends and forces),
 * {@code records_dead_lettered_total} (tagged {@code stage} and {@code reason}), {@code prices_late_total} (tagged
 * {@code stage}), {@code candles_redelivered_dropped_total}, {@code candle_windows_open}. They read the counters the
 * progress line reads, when scraped: one set of counters, nothing added on the hot path.
 */
@Singleton
class CandleMetrics implements MeterBinder {

    private final CandleStages stages;
    private final CandlePublisher publisher;
    private final CandleSink sink;

    @Inject
    CandleMetrics(CandleStages stages, CandlePublisher publisher, CandleSink sink) {
        this.stages = stages;
        this.publisher = publisher;
        this.sink = sink;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        CandleBatchWriter writer = sink.writer();
        for (CandlePeriod period : CandlePeriod.values()) {
            String label = period.label();
            FunctionCounter.builder("candles.published", publisher, p -> p.accepted(period)).tag("period", label)
                    .description("Candles Kafka accepted on the candles topic").register(registry);
            FunctionCounter.builder("candles.written", writer, w -> w.written(period)).tag("period", label)
                    .description("Candles appended and forced to the period's file").register(registry);
            Gauge.builder("candles.buffered", writer, w -> w.buffered(period)).tag("period", label)
                    .description("Candles waiting in a partial batch").register(registry);
        }
        FunctionCounter.builder("candle.batches.written", writer, CandleBatchWriter::batches)
                .description("Batches appended to the files").register(registry);
        FunctionTimer.builder("candle.batch.write", writer, CandleBatchWriter::timedWrites,
                        CandleBatchWriter::timedWriteNanos, TimeUnit.NANOSECONDS)
                .description("Per delivered Kafka batch that appended: its appends and their forces").register(registry);
        for (CandleStage stage : stages.all()) {
            String label = stage.period().label();
            if (stage.stage().deadLetters()) {
                for (String reason : DeadLetterReason.ALL) {
                    FunctionCounter.builder("records.dead.lettered", stage, st -> st.deadLettered(reason))
                            .tag("stage", label).tag("reason", reason)
                            .description("Input records sent to candles-dead-letter, by the field at fault")
                            .register(registry);
                }
            }
            FunctionCounter.builder("prices.late", stage, CandleStage::late).tag("stage", label)
                    .description("Inputs that came after their window closed, dropped").register(registry);
        }
        FunctionCounter.builder("candles.redelivered.dropped", this, CandleMetrics::redeliveredDropped)
                .description("Repeats of candles already taken, dropped by the stages and the sink").register(registry);
        Gauge.builder("candle.windows.open", stages,
                        s -> s.all().stream().mapToInt(CandleStage::openWindows).sum())
                .description("Windows the stages hold open").register(registry);
    }

    private double redeliveredDropped() {
        return stages.all().stream().mapToLong(CandleStage::duplicates).sum() + sink.writer().duplicates();
    }
}
