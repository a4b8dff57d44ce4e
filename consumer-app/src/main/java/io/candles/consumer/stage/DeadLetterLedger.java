package io.candles.consumer.stage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

import io.candles.consumer.kafka.TopicReader;
import io.candles.wire.Topics;

/**
 * The records already in {@code candles-dead-letter}, by where they came from (SmallRye's {@code dead-letter-topic},
 * {@code -partition} and {@code -offset} headers), so that a bad record read again after a crash before its commit
 * is not dead-lettered a second time. The topic is read in the background from {@link #prefetch} on (a start does not
 * wait for it), then kept current with what this process writes; a read that failed is tried again at the next
 * question. Callers ask outside their own locks: the first answer may wait for the read. Thread-safe.
 */
public final class DeadLetterLedger {

    private static final Logger LOG = Logger.getLogger(DeadLetterLedger.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** Reads the origins already in the topic, as {@link #origin} keys; throws when it cannot. */
    private final Supplier<Set<String>> existing;
    /** The read of the topic, started by {@link #prefetch} or the first question; null before, or after it failed. */
    private CompletableFuture<Set<String>> read;
    /** What this process dead-lettered itself. */
    private final Set<String> written = ConcurrentHashMap.newKeySet();

    /** @param existing reads the origins already in the topic; throws when it cannot */
    public DeadLetterLedger(Supplier<Set<String>> existing) {
        this.existing = existing;
    }

    /** A ledger over the dead-letter topic that this reader reads. */
    public static DeadLetterLedger of(TopicReader reader) {
        return new DeadLetterLedger(() -> readOrigins(reader));
    }

    /** Starts reading the topic in the background, unless that is under way or done. */
    public void prefetch() {
        reading();
    }

    public boolean contains(String topic, int partition, long offset) {
        String origin = origin(topic, partition, offset);
        if (written.contains(origin)) {
            return true;
        }
        CompletableFuture<Set<String>> current = reading();
        try {
            return current.join().contains(origin);
        } catch (CompletionException e) {
            synchronized (this) {
                if (read == current) {
                    read = null; // asked again at the next bad record
                }
            }
            LOG.warnf("Could not read %s (%s): record %s is dead-lettered, perhaps a second time", Topics.DEAD_LETTER,
                    e.getCause(), origin);
            return false;
        }
    }

    public void written(String topic, int partition, long offset) {
        written.add(origin(topic, partition, offset));
    }

    static String origin(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    private synchronized CompletableFuture<Set<String>> reading() {
        if (read == null) {
            read = CompletableFuture.supplyAsync(existing, runnable -> {
                Thread thread = new Thread(runnable, "dead-letter-ledger");
                thread.setDaemon(true);
                thread.start();
            });
        }
        return read;
    }

    private static Set<String> readOrigins(TopicReader reader) {
        Set<String> origins = new HashSet<>();
        reader.read(Topics.DEAD_LETTER, null, READ_TIMEOUT, record -> originOf(record).ifPresent(origins::add));
        LOG.infof("%d records are in %s already", origins.size(), Topics.DEAD_LETTER);
        return origins;
    }

    /** Where a dead letter came from; empty for a record without the headers SmallRye writes. */
    private static Optional<String> originOf(ConsumerRecord<?, ?> record) {
        String topic = header(record, "dead-letter-topic");
        String partition = header(record, "dead-letter-partition");
        String offset = header(record, "dead-letter-offset");
        if (topic == null || partition == null || offset == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(origin(topic, Integer.parseInt(partition), Long.parseLong(offset)));
        } catch (NumberFormatException e) {
            LOG.debugf("%s-%d@%d has unreadable dead-letter headers, ignored", record.topic(), record.partition(),
                    record.offset());
            return Optional.empty();
        }
    }

    /**
     * The first header of that name: SmallRye writes its own before the copies of the bad record's headers, which
     * may carry the same names when the bad record was itself a dead letter.
     */
    private static String header(ConsumerRecord<?, ?> record, String name) {
        Iterator<Header> headers = record.headers().headers(name).iterator();
        if (!headers.hasNext()) {
            return null;
        }
        byte[] value = headers.next().value();
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
