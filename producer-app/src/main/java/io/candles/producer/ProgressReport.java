package io.candles.producer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.candles.progress.Rate;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;

/** One progress line every {@code generator.progress-interval}: rate, generated, acknowledged, failed. */
@Startup // created with the app, so the first rate is measured from the start
@ApplicationScoped
public class ProgressReport {

    private static final Logger LOG = Logger.getLogger(ProgressReport.class);

    private final PriceSender sender;
    private final Rate rate = new Rate();

    @Inject
    ProgressReport(PriceSender sender) {
        this.sender = sender;
    }

    @Scheduled(every = "${generator.progress-interval}", delayed = "${generator.progress-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void report() {
        long generated = sender.generated();
        double perSecond = rate.next(generated);
        LOG.infof("prices: %.0f/s, generated %d, acknowledged %d, failed %d, in flight %d", perSecond, generated,
                sender.acknowledged(), sender.failed(), sender.unsettled());
    }
}
