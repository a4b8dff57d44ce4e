package io.candles.domain;

import java.time.Instant;

/** An OHLC candle of one ticker over the window {@code [ts, ts + period)}; {@code ts} is the window start. */
public record Candle(String ticker, CandlePeriod period, double open, double high, double low, double close,
                     Instant ts) {

    /**
     * @throws InvalidRecordException when a field is missing or the values are inconsistent: negative or not
     *                                finite, low above open or close, high below them, ts not a window start
     */
    public Candle {
        FieldRules.requireTicker("candle", ticker);
        if (period == null) {
            throw new InvalidRecordException("candle.period is missing");
        }
        FieldRules.requirePrice("candle.open", open);
        FieldRules.requirePrice("candle.high", high);
        FieldRules.requirePrice("candle.low", low);
        FieldRules.requirePrice("candle.close", close);
        if (low > Math.min(open, close)) {
            throw new InvalidRecordException("candle.low must be <= min(open, close) = " + Math.min(open, close)
                    + ", was " + low);
        }
        if (high < Math.max(open, close)) {
            throw new InvalidRecordException("candle.high must be >= max(open, close) = " + Math.max(open, close)
                    + ", was " + high);
        }
        FieldRules.requireTs("candle", ts);
        Instant windowStart = period.windowStart(ts);
        if (!windowStart.equals(ts)) {
            throw new InvalidRecordException("candle.ts must be the start of a " + period.label()
                    + " window (" + windowStart + "), was " + ts);
        }
    }

    /** End of the candle's window, exclusive. */
    public Instant end() {
        return ts.plus(period.duration());
    }
}
