package io.candles.query.ingest;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.candles.aggregation.StreamTime;
import io.candles.domain.Candle;
import io.candles.domain.InvalidRecordException;
import io.candles.domain.Series;
import io.candles.query.QueryConfig;
import io.candles.query.cache.CacheWarmUp;
import io.candles.query.cache.CandleCache;
import io.candles.query.live.LiveCandles;
import io.candles.query.store.CandleStore;
import io.candles.query.store.StoredSeries;
import io.candles.wire.CandleJson;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * The {@code candles} topic into QuestDB, one Kafka poll at a time: keeps the first candle of every (ticker, period,
 * ts) ({@link StoredSeries}), writes the new ones in one transaction, and only then acknowledges the poll (so its
 * offsets are committed only once QuestDB took its candles), updates the cache and tells the live clients. While
 * QuestDB refuses the write the poll is held and retried every second, which stops intake; readiness says why.
 */
@ApplicationScoped
public class CandleIngest {

    private static final Logger LOG = Logger.getLogger(CandleIngest.class);
    /** How long a refused poll waits before its next try (deploy-checks counts one in the SIGTERM drain). */
    public static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);
    private static final CompletionStage<Void> NOT_ACKNOWLEDGED = CompletableFuture.completedFuture(null);

    private final CacheWarmUp warmUp;
    private final StoredSeries stored;
    private final CandleStore store;
    private final CandleCache cache;
    private final LiveCandles live;
    private final LongAdder storedCandles = new LongAdder();
    private final LongAdder repeats = new LongAdder();
    private final LongAdder unreadable = new LongAdder();
    private volatile String failure;
    private volatile boolean stopping;

    /** Only the channel's thread uses it (one poll at a time). */
    private final StreamTime streamTime;

    @Inject
    CandleIngest(CacheWarmUp warmUp, StoredSeries stored, CandleStore store, CandleCache cache, LiveCandles live,
            QueryConfig config) {
        this.streamTime = new StreamTime(config.maxAhead(), "query.max-ahead");
        this.warmUp = warmUp;
        this.stored = stored;
        this.store = store;
        this.cache = cache;
        this.live = live;
    }

    @Incoming("candles-in")
    @Blocking
    CompletionStage<Void> onPoll(KafkaRecordBatch<String, byte[]> poll) throws InterruptedException {
        if (!warmUp.await()) {
            return NOT_ACKNOWLEDGED; // shutting down before the marks were read: the next start reads this poll again
        }
        List<Candle> fresh = new ArrayList<>();
        Map<Series, Instant> newestInPoll = new HashMap<>();
        for (KafkaRecord<String, byte[]> record : poll) {
            Candle candle = read(record);
            if (candle == null) {
                continue;
            }
            Instant newestSoFar = newestInPoll.get(Series.of(candle));
            if (!stored.isNew(candle) || newestSoFar != null && !candle.ts().isAfter(newestSoFar)) {
                repeats.increment();
                continue;
            }
            newestInPoll.put(Series.of(candle), candle.ts());
            fresh.add(candle);
        }
        while (!write(fresh)) {
            if (stopping) {
                return NOT_ACKNOWLEDGED; // read again after the restart
            }
            Thread.sleep(RETRY_INTERVAL.toMillis()); // retry interval while QuestDB refuses writes
        }
        for (Candle candle : fresh) {
            boolean newSeries = stored.newest(Series.of(candle)).isEmpty();
            stored.stored(candle);
            cache.stored(candle, newSeries);
            live.stored(candle);
        }
        storedCandles.add(fresh.size());
        return poll.ack();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Why the last write failed, or null while QuestDB takes them. */
    public String failure() {
        return failure;
    }

    public long stored() {
        return storedCandles.sum();
    }

    public long repeats() {
        return repeats.sum();
    }

    public long unreadable() {
        return unreadable.sum();
    }

    private boolean write(List<Candle> candles) {
        try {
            store.insert(candles);
            if (failure != null) {
                LOG.infof("QuestDB takes candles again");
                failure = null;
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            if (failure == null) {
                LOG.errorf("QuestDB refused %d candles (%s); holding them and retrying every %s", candles.size(),
                        e.getMessage(), RETRY_INTERVAL);
            }
            failure = "QuestDB refused candles: " + e.getMessage();
            return false;
        }
    }

    /**
     * The record's candle, or null (logged and counted) when it is not one or is too far ahead of its partition's
     * stream time: the 2m stage dead-letters those.
     */
    private Candle read(KafkaRecord<String, byte[]> record) {
        try {
            if (record.getPayload() == null) {
                throw new InvalidRecordException("record has no value (null)");
            }
            Candle candle = CandleJson.read(record.getPayload());
            streamTime.accept(record.getPartition(), candle.ts(), timestampOf(record));
            return candle;
        } catch (InvalidRecordException e) {
            unreadable.increment();
            LOG.warnf("Skipping record %s-%d@%d (the 2m stage dead-letters it): %s", record.getTopic(), record.getPartition(),
                    record.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow().getOffset(), e.getMessage());
            return null;
        }
    }

    /** When the record was produced; -1 when Kafka has no timestamp for it. */
    private static long timestampOf(KafkaRecord<?, ?> record) {
        Instant timestamp = record.getTimestamp();
        return timestamp == null ? -1 : timestamp.toEpochMilli();
    }
}
