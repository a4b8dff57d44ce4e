package io.candles.query;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.candles.progress.Rate;
import io.candles.query.cache.CandleCache;
import io.candles.query.ingest.CandleIngest;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;

/** One progress line every {@code query.progress-interval}: candles stored, repeats dropped, cache hits and misses. */
@Startup // created with the app, so the first rate is measured from the start
@ApplicationScoped
public class ProgressReport {

    private static final Logger LOG = Logger.getLogger(ProgressReport.class);

    private final CandleIngest ingest;
    private final CandleCache cache;
    private final Rate rate = new Rate();

    @Inject
    ProgressReport(CandleIngest ingest, CandleCache cache) {
        this.ingest = ingest;
        this.cache = cache;
    }

    @Scheduled(every = "${query.progress-interval}", delayed = "${query.progress-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void report() {
        long stored = ingest.stored();
        double perSecond = rate.next(stored);
        LOG.infof("candles: %.0f/s stored, %d stored, %d repeats dropped, %d unreadable skipped | cache: %d hits, "
                + "%d misses, %d candles of %d series", perSecond, stored, ingest.repeats(), ingest.unreadable(),
                cache.hits(), cache.misses(), cache.candleCount(), cache.seriesCount());
    }
}
