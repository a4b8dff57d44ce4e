package io.candles.query.api;

import java.io.ByteArrayOutputStream;
import java.util.List;

import io.candles.domain.Candle;
import io.candles.wire.CandleJson;

/** A JSON array of candles, each exactly as the {@code candles} topic carries it (the wire contract). */
final class CandlesJson {

    private CandlesJson() {
    }

    static byte[] array(List<Candle> candles) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + candles.size() * 140);
        out.write('[');
        for (int i = 0; i < candles.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(CandleJson.write(candles.get(i)));
        }
        out.write(']');
        return out.toByteArray();
    }
}
