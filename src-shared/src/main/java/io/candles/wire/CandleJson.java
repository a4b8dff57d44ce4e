package io.candles.wire;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;

import java.time.Instant;

/**
 * The JSON form of a {@link Candle} on the {@code candles} topic:
 * {@code {"ticker":"SBER","period":"1m","open":201.182413,"high":213.934383,"low":201.182413,"close":207.613144,"ts":"2026-11-21T16:07:00.000Z"}}.
 * Same rules as {@link PriceJson}: ts in UTC at millisecond precision, any field order, unknown fields ignored.
 */
public final class CandleJson {

    private static final CandlePeriod[] PERIODS = CandlePeriod.values();
    private static final byte[][] FIELDS = CompactJson.names("ticker", "period", "open", "high", "low", "close", "ts");

    private CandleJson() {
    }

    /** UTF-8 JSON of {@code candle}. */
    public static byte[] write(Candle candle) {
        if (!CompactJson.plain(candle.ticker())) {
            return JacksonFallback.write(candle); // the ticker needs escaping
        }
        return new CompactJson.Writer(160)
                .ascii("{\"ticker\":\"").ascii(candle.ticker())
                .ascii("\",\"period\":\"").ascii(candle.period().label())
                .ascii("\",\"open\":").number(candle.open())
                .ascii(",\"high\":").number(candle.high())
                .ascii(",\"low\":").number(candle.low())
                .ascii(",\"close\":").number(candle.close())
                .ascii(",\"ts\":\"").ascii(IsoInstants.formatMillis(candle.ts())).ascii("\"}")
                .toBytes();
    }

    /**
     * Reads a candle from UTF-8 JSON.
     *
     * @throws InvalidRecordException if it is not a JSON object, a field is missing or has the wrong type, or
     *                                a value breaks the {@link Candle} contract; the message names the field
     */
    public static Candle read(byte[] json) {
        Candle compact = readCompact(json);
        return compact != null ? compact : JacksonFallback.readCandle(json);
    }

    /**
     * The shape {@link #write} produces, or null for anything else (Jackson then reads it and names any error). The
     * record's own rules may throw here, as on Jackson's path, from the same constructor with the same values.
     */
    private static Candle readCompact(byte[] json) {
        CompactJson in = new CompactJson(json);
        String ticker = null;
        CandlePeriod period = null;
        // open, high, low, close, in the order of VALUE_FIELDS; NaN until read (a JSON number is never NaN)
        double[] values = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        Instant ts = null;
        if (in.startObject()) {
            do {
                int field = in.field(FIELDS); // an index into FIELDS
                switch (field) {
                    case 0 -> ticker = in.string();
                    case 1 -> {
                        // Each occurrence counts: Jackson's path rejects an unknown period even if another follows.
                        period = knownPeriod(in.string());
                        if (period == null) {
                            return null;
                        }
                    }
                    case 2, 3, 4, 5 -> values[field - 2] = in.number(); // open, high, low, close
                    case 6 -> ts = in.instant();
                    default -> {
                        // an unknown or malformed field name: not the compact shape
                    }
                }
            } while (in.nextField());
        }
        if (!in.atEnd() || ticker == null || period == null || ts == null || Double.isNaN(values[0])
                || Double.isNaN(values[1]) || Double.isNaN(values[2]) || Double.isNaN(values[3])) {
            return null;
        }
        return new Candle(ticker, period, values[0], values[1], values[2], values[3], ts);
    }

    /** The period of a label, or null (also for null): Jackson's path then reports it. */
    private static CandlePeriod knownPeriod(String label) {
        for (CandlePeriod period : PERIODS) {
            if (period.label().equals(label)) {
                return period;
            }
        }
        return null;
    }
}
