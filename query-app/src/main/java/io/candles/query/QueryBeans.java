package io.candles.query;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.candles.query.cache.CandleCache;
import io.candles.query.store.StoredSeries;

/** The cache and the repeat marks as beans: plain classes, the cache sized from the configuration. */
@ApplicationScoped
public class QueryBeans {

    @Produces
    @Singleton
    CandleCache cache(QueryConfig config) {
        return new CandleCache(config.cache().candlesPerSeries(), config.cache().maxSeries());
    }

    @Produces
    @Singleton
    StoredSeries storedSeries() {
        return new StoredSeries();
    }
}
