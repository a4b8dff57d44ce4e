package io.candles.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.candles.aggregation.CandleAggregator;
import io.candles.aggregation.CandleAggregator.ClosedCandle;
import io.candles.aggregation.CandleAggregator.Outcome;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;

/**
 * The candles the pipeline must produce, recomputed with the same aggregation code from the prices of each partition
 * in partition order: prices to 1m, closed 1m candles to 2m, closed 2m to 10m, as the stages chain them through the
 * {@code candles} topic (same partition number). Only closed windows count; the rest are still open.
 */
public final class ExpectedCandles {

    private final Duration grace;
    private final Map<Integer, Map<CandlePeriod, CandleAggregator<Void>>> chains = new HashMap<>();
    private final List<Candle> closed = new ArrayList<>();

    public ExpectedCandles(Duration grace) {
        this.grace = grace;
    }

    public void add(int partition, Price price) {
        Map<CandlePeriod, CandleAggregator<Void>> chain = chains.computeIfAbsent(partition, p -> {
            Map<CandlePeriod, CandleAggregator<Void>> stages = new HashMap<>();
            for (CandlePeriod period : CandlePeriod.values()) {
                stages.put(period, new CandleAggregator<>(period, grace));
            }
            return stages;
        });
        cascade(chain, chain.get(CandlePeriod.ONE_MINUTE).add(price, null));
    }

    private void cascade(Map<CandlePeriod, CandleAggregator<Void>> chain, Outcome<Void> outcome) {
        for (ClosedCandle<Void> window : outcome.closed()) {
            Candle candle = window.candle();
            closed.add(candle);
            for (CandlePeriod next : CandlePeriod.values()) {
                if (next.source().filter(candle.period()::equals).isPresent()) {
                    cascade(chain, chain.get(next).add(candle, null));
                }
            }
        }
    }

    public List<Candle> closed() {
        return closed;
    }

    /** Prices dropped as late by the 1m stage's rules. */
    public long latePrices() {
        return chains.values().stream().mapToLong(chain -> chain.get(CandlePeriod.ONE_MINUTE).lateCount()).sum();
    }

    public int openWindows() {
        return chains.values().stream().flatMap(chain -> chain.values().stream())
                .mapToInt(CandleAggregator::openWindowCount).sum();
    }
}
