package io.candles.query.cache;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.candles.domain.Series;
import io.candles.query.QueryConfig;
import io.candles.query.store.CandleStore;
import io.candles.query.store.StoredSeries;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Start-up, on its own thread, retrying while QuestDB is away: creates the table if needed, waits until QuestDB has
 * applied what it took, reads the newest stored ts of every series (the repeat marks) and fills the cache with the
 * newest candles of the most recently written series. Readiness stays DOWN and candles from Kafka wait until then.
 */
@ApplicationScoped
public class CacheWarmUp {

    private static final Logger LOG = Logger.getLogger(CacheWarmUp.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(2);

    private final CandleStore store;
    private final StoredSeries stored;
    private final CandleCache cache;
    private final QueryConfig config;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile String notReadyReason = "starting";
    private volatile Thread thread;

    @Inject
    CacheWarmUp(CandleStore store, StoredSeries stored, CandleCache cache, QueryConfig config) {
        this.store = store;
        this.stored = stored;
        this.cache = cache;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        thread = new Thread(this::run, "cache-warm-up");
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }

    public boolean done() {
        return done.getCount() == 0;
    }

    public String notReadyReason() {
        return notReadyReason;
    }

    /** Waits until the cache is warm; false if interrupted first (shutdown). */
    public boolean await() {
        try {
            done.await();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                load();
                done.countDown();
                return;
            } catch (SQLException | RuntimeException e) {
                notReadyReason = "cannot read QuestDB: " + e.getMessage();
                LOG.warnf("Cannot warm the cache from QuestDB yet (%s); retrying in %s", e.getMessage(), RETRY_DELAY);
                try {
                    Thread.sleep(RETRY_DELAY.toMillis()); // back-off while QuestDB is unreachable
                } catch (InterruptedException interrupted) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void load() throws SQLException, InterruptedException {
        long started = System.nanoTime();
        store.ensureTable();
        if (!store.awaitApplied(config.startupApplyTimeout())) {
            LOG.warnf("QuestDB has not applied everything it took after %s; starting with what it has",
                    config.startupApplyTimeout());
        }
        Map<Series, Instant> newest = store.newestPerSeries();
        stored.loaded(newest);
        // The most recently written series first, as many as the cache may hold.
        Set<Series> cached = newest.entrySet().stream()
                .sorted(Map.Entry.<Series, Instant> comparingByValue(Comparator.reverseOrder()))
                .limit(config.cache().maxSeries()).map(Map.Entry::getKey).collect(Collectors.toSet());
        store.newestOfEverySeries(config.cache().candlesPerSeries(), candle -> {
            if (cached.contains(Series.of(candle))) {
                cache.load(candle);
            }
        });
        cache.loaded();
        LOG.infof("Cache warm in %d ms: %d candles of %d series (of %d stored series, %d tickers)",
                Duration.ofNanos(System.nanoTime() - started).toMillis(), cache.candleCount(), cache.seriesCount(),
                newest.size(), stored.byTicker().size());
    }
}
