package io.candles.consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.candles.consumer.sink.CandleBatchWriter;
import io.candles.consumer.sink.CandleSink;
import io.candles.consumer.stage.CandlePublisher;
import io.candles.consumer.stage.CandleStage;
import io.candles.consumer.stage.CandleStages;
import io.candles.consumer.stage.Stage;
import io.candles.domain.CandlePeriod;
import io.candles.progress.Rate;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;

/** One progress line every {@code candles.progress-interval}: inputs, candles out, files written, late, dead letters. */
@Startup // created with the app, so the first rate is measured from the start
@ApplicationScoped
public class ProgressReport {

    private static final Logger LOG = Logger.getLogger(ProgressReport.class);

    private final CandleStages stages;
    private final CandlePublisher publisher;
    private final CandleSink sink;
    private final Rate rate = new Rate();

    @Inject
    ProgressReport(CandleStages stages, CandlePublisher publisher, CandleSink sink) {
        this.stages = stages;
        this.publisher = publisher;
        this.sink = sink;
    }

    @Scheduled(every = "${candles.progress-interval}", delayed = "${candles.progress-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void report() {
        long prices = stages.of(Stage.ONE_MINUTE).received();
        double perSecond = rate.next(prices);
        LOG.infof("prices: %.0f/s | %s", perSecond, summary());
    }

    /** Totals since start, in one line. */
    public String summary() {
        CandleBatchWriter writer = sink.writer();
        StringBuilder line = new StringBuilder();
        line.append("prices in ").append(stages.of(Stage.ONE_MINUTE).received());
        line.append(", candles out");
        for (CandlePeriod period : CandlePeriod.values()) {
            line.append(' ').append(period.label()).append('=').append(publisher.accepted(period));
        }
        line.append(", written");
        for (CandlePeriod period : CandlePeriod.values()) {
            line.append(' ').append(period.label()).append('=').append(writer.written(period));
        }
        line.append(" in ").append(writer.batches()).append(" batches, buffered");
        for (CandlePeriod period : CandlePeriod.values()) {
            line.append(' ').append(period.label()).append('=').append(writer.buffered(period));
        }
        long late = stages.all().stream().mapToLong(CandleStage::late).sum();
        long deadLettered = stages.all().stream().mapToLong(CandleStage::deadLettered).sum();
        long redelivered = stages.all().stream().mapToLong(CandleStage::duplicates).sum() + writer.duplicates();
        int open = stages.all().stream().mapToInt(CandleStage::openWindows).sum();
        line.append(", open windows ").append(open).append(", late ").append(late).append(", dead-lettered ")
                .append(deadLettered).append(", redelivered duplicates dropped ").append(redelivered);
        long held = stages.all().stream().mapToLong(CandleStage::held).sum();
        if (held > 0) {
            line.append(", candles held after a refusal (rebuilt after the restart) ").append(held);
        }
        long skipped = stages.all().stream().mapToLong(CandleStage::skipped).sum();
        if (skipped > 0) {
            line.append(", unreadable records skipped (dead-lettered elsewhere or already) ").append(skipped);
        }
        if (sink.unreadable() > 0) {
            line.append(", unreadable candles records skipped by the sink ").append(sink.unreadable());
        }
        return line.toString();
    }
}
