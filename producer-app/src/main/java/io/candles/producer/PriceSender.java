package io.candles.producer;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import io.candles.domain.Price;
import io.candles.wire.Topics;

/**
 * Sends prices to the {@code prices} topic with key = ticker and an explicit partition, and counts what Kafka
 * acknowledged or finally refused. At most {@code generator.max-in-flight} prices are unacknowledged at a time;
 * {@link #send} waits for room, which is how a slow or absent broker slows the generator down.
 */
@ApplicationScoped
public class PriceSender {

    private static final Logger LOG = Logger.getLogger(PriceSender.class);
    private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final PriceProducer producer;
    private final Semaphore inFlight;
    private final LongAdder generated = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS);

    @Inject
    PriceSender(PriceProducer producer, GeneratorConfig config) {
        this.producer = producer;
        this.inFlight = new Semaphore(config.maxInFlight());
    }

    /** Hands one price to the Kafka producer; waits while too many are unacknowledged. */
    public void send(Price price, int partition) throws InterruptedException {
        inFlight.acquire();
        generated.increment();
        ProducerRecord<String, Price> record = new ProducerRecord<>(Topics.PRICES, partition, price.ticker(), price);
        try {
            producer.get().send(record, (metadata, failure) -> settled(price, failure));
        } catch (RuntimeException e) {
            settled(price, e); // refused before it was queued (producer closed, record unserializable)
        }
    }

    private void settled(Price price, Exception failure) {
        if (failure == null) {
            acknowledged.increment();
        } else {
            failed.increment();
            logFailure(price, failure);
        }
        inFlight.release();
    }

    /** Waits until every generated price is acknowledged or failed; false if the timeout came first. */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unsettled() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10); // polls counters that acks update; the deadline bounds it
        }
        return true;
    }

    public long generated() {
        return generated.sum();
    }

    public long acknowledged() {
        return acknowledged.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long unsettled() {
        return generated.sum() - acknowledged.sum() - failed.sum();
    }

    private void logFailure(Price price, Throwable failure) {
        long now = System.nanoTime();
        long last = lastFailureLog.get();
        // At most one line per interval: a broker outage fails records by the thousand.
        if (now - last >= FAILURE_LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, now)) {
            LOG.errorf("Kafka refused price %s@%s (%d failed so far): %s", price.ticker(), price.ts(), failed.sum(),
                    failure.toString());
        }
    }
}
