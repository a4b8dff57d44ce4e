package io.candles.wire;

import io.candles.domain.Price;

import java.time.Instant;

/**
 * The JSON form of a {@link Price} on the {@code prices} topic:
 * {@code {"ticker":"SBER","value":203.125,"ts":"2026-11-21T16:07:31.250Z"}}.
 * {@code ts} is written at millisecond precision in UTC; reading accepts any ISO-8601 instant, any field
 * order and ignores unknown fields. Streaming API only, so it needs no reflection in a native image.
 */
public final class PriceJson {

    private static final byte[][] FIELDS = CompactJson.names("ticker", "value", "ts");

    private PriceJson() {
    }

    /** UTF-8 JSON of {@code price}; sub-millisecond digits of ts are dropped. */
    public static byte[] write(Price price) {
        if (!CompactJson.plain(price.ticker())) {
            return JacksonFallback.write(price); // the ticker needs escaping
        }
        return new CompactJson.Writer(80)
                .ascii("{\"ticker\":\"").ascii(price.ticker())
                .ascii("\",\"value\":").number(price.value())
                .ascii(",\"ts\":\"").ascii(IsoInstants.formatMillis(price.ts())).ascii("\"}")
                .toBytes();
    }

    /**
     * Reads a price from UTF-8 JSON.
     *
     * @throws InvalidRecordException if it is not a JSON object, a field is missing or has the wrong type, or
     *                                a value breaks the {@link Price} contract; the message names the field
     */
    public static Price read(byte[] json) {
        Price compact = readCompact(json);
        return compact != null ? compact : JacksonFallback.readPrice(json);
    }

    /**
     * The shape {@link #write} produces, or null for anything else (Jackson then reads it and names any error). The
     * record's own rules may throw here, as on Jackson's path, from the same constructor with the same values.
     */
    private static Price readCompact(byte[] json) {
        CompactJson in = new CompactJson(json);
        String ticker = null;
        double value = Double.NaN;
        Instant ts = null;
        if (in.startObject()) {
            do {
                switch (in.field(FIELDS)) { // an index into FIELDS
                    case 0 -> ticker = in.string();
                    case 1 -> value = in.number();
                    case 2 -> ts = in.instant();
                    default -> {
                        // an unknown or malformed field name: not the compact shape
                    }
                }
            } while (in.nextField());
        }
        if (!in.atEnd() || ticker == null || Double.isNaN(value) || ts == null) {
            return null;
        }
        return new Price(ticker, value, ts);
    }
}
