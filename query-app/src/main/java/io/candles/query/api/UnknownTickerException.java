package io.candles.query.api;

/** No candle of this ticker has been stored: answered 404. */
public final class UnknownTickerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String ticker;

    public UnknownTickerException(String ticker) {
        super("no candles of ticker " + ticker + " are stored; GET /api/tickers lists the known ones");
        this.ticker = ticker;
    }

    public String ticker() {
        return ticker;
    }
}
