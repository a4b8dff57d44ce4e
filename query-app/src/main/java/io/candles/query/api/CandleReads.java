package io.candles.query.api;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Series;
import io.candles.query.cache.CandleCache;
import io.candles.query.store.CandleStore;
import io.candles.query.store.StoredSeries;

/** Answers reads from the cache when it covers them, from QuestDB otherwise. */
@ApplicationScoped
public class CandleReads {

    private final CandleCache cache;
    private final CandleStore store;
    private final StoredSeries stored;

    @Inject
    CandleReads(CandleCache cache, CandleStore store, StoredSeries stored) {
        this.cache = cache;
        this.store = store;
        this.stored = stored;
    }

    /**
     * With {@code from}: the oldest {@code limit} candles with {@code from <= ts < to}. Without it: the newest
     * {@code limit} candles with {@code ts < to}. Oldest first either way.
     *
     * @throws UnknownTickerException when nothing of the ticker is stored
     */
    public List<Candle> candles(Series series, Instant from, Instant to, int limit) throws SQLException {
        if (!stored.knows(series.ticker())) {
            throw new UnknownTickerException(RequestParameters.echo(series.ticker()));
        }
        if (from != null) {
            Optional<List<Candle>> cached = cache.oldestFrom(series, from, to, limit);
            return cached.isPresent() ? cached.get() : store.oldestFrom(series, from, to, limit);
        }
        Optional<List<Candle>> cached = cache.newestBefore(series, to, limit);
        return cached.isPresent() ? cached.get() : store.newestBefore(series, to, limit);
    }

    /** The newest candle of every ticker for the period, by ticker. */
    public List<Candle> latest(CandlePeriod period) throws SQLException {
        List<Candle> latest = new ArrayList<>();
        for (Map.Entry<String, Map<CandlePeriod, Instant>> ticker : stored.byTicker().entrySet()) {
            if (!ticker.getValue().containsKey(period)) {
                continue;
            }
            Optional<Candle> cached = cache.newest(new Series(ticker.getKey(), period));
            if (cached.isEmpty()) {
                return store.latest(period).stream().sorted(java.util.Comparator.comparing(Candle::ticker)).toList();
            }
            latest.add(cached.get());
        }
        return latest;
    }

    /** Every known ticker with the newest stored ts per period. */
    public Map<String, Map<CandlePeriod, Instant>> tickers() {
        return stored.byTicker();
    }
}
