package io.candles.query.live;

import jakarta.enterprise.context.ApplicationScoped;

import io.candles.domain.Candle;
import io.candles.domain.Series;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Candles as they are stored, for the clients that follow a series live. A client that falls more than
 * {@value #CLIENT_BUFFER} candles behind is dropped (its stream fails); it reconnects and reloads the history.
 */
@ApplicationScoped
public class LiveCandles {

    static final int CLIENT_BUFFER = 1024;

    private final BroadcastProcessor<Candle> stored = BroadcastProcessor.create();

    /** Called once per stored candle, after QuestDB took it. */
    public void stored(Candle candle) {
        stored.onNext(candle);
    }

    /** The candles of one series from now on. */
    public Multi<Candle> of(Series series) {
        return stored.filter(candle -> candle.period() == series.period() && candle.ticker().equals(series.ticker()))
                .onOverflow().buffer(CLIENT_BUFFER);
    }
}
