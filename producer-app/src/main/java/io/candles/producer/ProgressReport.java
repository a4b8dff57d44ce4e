package io.candles.producer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;

/** One progress line every {@code generator.progress-interval}: rate, generated, acknowledged, failed. */
@Startup // created with the app, so the first rate is measured from the start
@ApplicationScoped
public class ProgressReport {

    private static final Logger LOG = Logger.getLogger(ProgressReport.class);

    private final PriceSender sender;
    private long lastGenerated;
    private long lastNanos = System.nanoTime();

    @Inject
    ProgressReport(PriceSender sender) {
        this.sender = sender;
    }

    @Scheduled(every = "${generator.progress-interval}", delayed = "${generator.progress-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void report() {
        long now = System.nanoTime();
        long generated = sender.generated();
        double perSecond = (generated - lastGenerated) * 1e9 / Math.max(1, now - lastNanos);
        lastGenerated = generated;
        lastNanos = now;
        LOG.infof("prices: %.0f/s, generated %d, acknowledged %d, failed %d, in flight %d", perSecond, generated,
                sender.acknowledged(), sender.failed(), sender.unsettled());
    }
}
