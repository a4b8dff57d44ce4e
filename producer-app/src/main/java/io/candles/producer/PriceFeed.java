package io.candles.producer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.candles.domain.Price;
import io.candles.partitioning.TickerPartitioner;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs the generator on its own thread: waits until the topics are ready (retrying while Kafka is away), resumes
 * simulated time after the newest price in the topic, then sends one round per {@code delay} (or at the load
 * rate). On shutdown the generator stops first, then every generated price is given time to be acknowledged.
 */
@ApplicationScoped
public class PriceFeed {

    private static final Logger LOG = Logger.getLogger(PriceFeed.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(2);

    private final GeneratorConfig config;
    private final PriceTopic topic;
    private final PriceSender sender;
    private final Clock wallClock;

    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean ready;
    private volatile String notReadyReason = "starting";

    @Inject
    PriceFeed(GeneratorConfig config, PriceTopic topic, PriceSender sender) {
        this.config = config;
        this.topic = topic;
        this.sender = sender;
        this.wallClock = Clock.systemUTC();
    }

    void onStart(@Observes StartupEvent event) {
        if (config.maxInFlight() < 1) {
            throw new IllegalArgumentException("generator.max-in-flight must be >= 1, was " + config.maxInFlight());
        }
        running = true;
        thread = new Thread(this::run, "price-generator");
        thread.start();
    }

    /** Runs before the Kafka connector closes (ShutdownEvent observers do), so acknowledgements still arrive. */
    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stopAndDrain();
    }

    /**
     * Stops the generator, then waits up to {@code generator.shutdown-timeout} until Kafka has acknowledged (or
     * finally refused) every generated price, and logs the count. Returns true when all were acknowledged.
     */
    public boolean stopAndDrain() throws InterruptedException {
        stopGenerating();
        boolean settled = sender.awaitSettled(config.shutdownTimeout());
        if (settled && sender.failed() == 0) {
            LOG.infof("Stopped: generated %d prices, Kafka acknowledged %d", sender.generated(),
                    sender.acknowledged());
            return true;
        }
        LOG.errorf("Stopped: generated %d prices, Kafka acknowledged %d, failed %d, not delivered within %s: %d",
                sender.generated(), sender.acknowledged(), sender.failed(), config.shutdownTimeout(),
                sender.unsettled());
        return false;
    }

    /** Stops the generator thread and waits for it; prices already handed to the channel are still delivered. */
    public void stopGenerating() throws InterruptedException {
        running = false;
        Thread generator = thread;
        if (generator != null) {
            generator.interrupt();
            generator.join();
        }
    }

    public boolean ready() {
        return ready;
    }

    public String notReadyReason() {
        return notReadyReason;
    }

    private void run() {
        try {
            int partitions = awaitTopics();
            Optional<Instant> newest = awaitNewestTimestamp();
            SimulatedClock clock = SimulatedClock.resume(config.start(), newest, wallClock.instant(),
                    config.delay().multipliedBy(config.factor()));
            List<String> tickers = config.load().enabled() ? PriceGenerator.loadTickers(config.load().tickers())
                    : config.tickers();
            PriceGenerator generator = new PriceGenerator(tickers, new SplittableRandom(), clock);
            TickerPartitioner partitioner = new TickerPartitioner(tickers, partitions);
            ready = true;
            LOG.infof("Generating %d tickers over %d partitions from simulated %s (%s)", tickers.size(), partitions,
                    clock.start(), describeMode());
            generate(generator, partitioner);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void generate(PriceGenerator generator, TickerPartitioner partitioner) throws InterruptedException {
        long limit = config.load().enabled() && config.load().count() > 0 ? config.load().count() : Long.MAX_VALUE;
        long roundNanos = roundIntervalNanos(generator.tickers().size());
        // A round holds one price per ticker, in the generator's ticker order.
        List<Metadata> routes = generator.tickers().stream()
                .map(ticker -> PriceSender.routeOf(ticker, partitioner.partitionOf(ticker))).toList();
        long nextRound = System.nanoTime();
        while (running) {
            List<Price> round = generator.nextRound();
            for (int i = 0; i < round.size(); i++) {
                if (sender.generated() >= limit) {
                    LOG.infof("Load mode: sent the configured %d prices, generator stops", limit);
                    return;
                }
                sender.send(round.get(i), routes.get(i));
            }
            if (roundNanos > 0) {
                nextRound += roundNanos;
                long wait = nextRound - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else if (-wait > TimeUnit.SECONDS.toNanos(1)) {
                    nextRound = System.nanoTime(); // fell behind (broker slow): don't burst to catch up
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    }

    private long roundIntervalNanos(int tickers) {
        if (!config.load().enabled()) {
            return config.delay().toNanos();
        }
        long rate = config.load().rate();
        return rate <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) * tickers / rate;
    }

    private int awaitTopics() throws InterruptedException {
        return retryUntilKafkaAnswers("prepare topics", topic::prepare);
    }

    /** Even with a fixed start: a restart must not go back before what it sent already. */
    private Optional<Instant> awaitNewestTimestamp() throws InterruptedException {
        return retryUntilKafkaAnswers("read the newest price", topic::newestTimestamp);
    }

    private <T> T retryUntilKafkaAnswers(String what, Supplier<T> action)
            throws InterruptedException {
        while (true) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                notReadyReason = "cannot " + what + ": " + e.getMessage();
                LOG.warnf("Cannot %s yet (%s); retrying in %s", what, e.getMessage(), RETRY_DELAY);
                Thread.sleep(RETRY_DELAY.toMillis()); // back-off between attempts while Kafka is unreachable
            }
        }
    }

    private String describeMode() {
        if (!config.load().enabled()) {
            return "one round every " + config.delay() + ", simulated time x" + config.factor();
        }
        return "load mode, " + (config.load().rate() > 0 ? config.load().rate() + " prices/s" : "as fast as possible")
                + (config.load().count() > 0 ? ", " + config.load().count() + " prices" : "");
    }
}
