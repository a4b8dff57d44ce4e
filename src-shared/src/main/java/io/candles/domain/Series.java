package io.candles.domain;

/** The candles of one ticker and period, in time order: what a chart shows and what a high-water mark is kept for. */
public record Series(String ticker, CandlePeriod period) {

    public static Series of(Candle candle) {
        return new Series(candle.ticker(), candle.period());
    }

    @Override
    public String toString() {
        return ticker + " " + period.label();
    }
}
