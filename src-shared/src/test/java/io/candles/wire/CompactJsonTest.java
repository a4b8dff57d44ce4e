package io.candles.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;
import io.candles.domain.Price;

/**
 * The compact path of {@link PriceJson} and {@link CandleJson} against their Jackson path: {@code read(byte[])} tries
 * the compact shape first, {@code JacksonFallback} never does. Both must give the same record or the same error, for
 * what the writers produce and for random damage to it.
 */
class CompactJsonTest {

    /** Characters that matter to JSON, to the compact reader's checks and to the record rules. */
    private static final String DAMAGE = "{}[]\":, .-+eE0123456789nulltruefalseNaNInfinity\\\tZT:ü\u0001";

    private final SplittableRandom random = new SplittableRandom(21);

    @Test
    void writesTheSameBytesAsJacksonAndReadsThemBack() {
        for (int i = 0; i < 100_000; i++) {
            Price price = new Price(ticker(), value(), ts());
            byte[] json = PriceJson.write(price);
            assertThat(json).as("%s", price).isEqualTo(JacksonFallback.write(price));
            assertThat(PriceJson.read(json)).isEqualTo(price);

            double low = value();
            double high = low + value();
            Candle candle = new Candle(ticker(), period(), low + (high - low) / 3, high, low, high - (high - low) / 4,
                    CandlePeriod.TEN_MINUTES.windowStart(ts()));
            json = CandleJson.write(candle);
            assertThat(json).as("%s", candle).isEqualTo(JacksonFallback.write(candle));
            assertThat(CandleJson.read(json)).isEqualTo(candle);
        }
    }

    @Test
    void tickersThatNeedEscapingGoThroughJackson() {
        Price price = new Price("Ünï cødé\\", 1.5, Instant.parse("2026-11-21T16:07:31.250Z"));

        assertThat(PriceJson.write(price)).isEqualTo(JacksonFallback.write(price));
        assertThat(PriceJson.read(PriceJson.write(price))).isEqualTo(price);
    }

    @Test
    void edgeCasesThatRandomDamageRarelyMakesGiveTheSameOutcome() {
        String ts = "\"ts\":\"2026-11-21T16:06:00.000Z\"";
        String longNumber = "1." + "0".repeat(1100);
        for (String price : new String[] {
                "{\"ticker\":\"SBER\",\"value\":-0," + ts + "}", // Jackson reads the integer -0 as 0, not -0.0
                "{\"ticker\":\"SBER\",\"value\":-0.0," + ts + "}",
                "{\"ticker\":\"SBER\",\"value\":" + longNumber + "," + ts + "}", // past Jackson's number length limit
                "{\"ticker\":\"SBER\",\"value\":1" + "0".repeat(1100) + "," + ts + "}",
                "{\"ticker\":\"" + "S".repeat(5000) + "\",\"value\":1," + ts + "}",
                "{\"ticker\":\"SBER\",\"ticker\":\"GAZP\",\"value\":1," + ts + "}",
        }) {
            assertSameOutcome(price.getBytes(StandardCharsets.UTF_8), PriceJson::read, JacksonFallback::readPrice);
        }
        for (String candle : new String[] {
                "{\"ticker\":\"SBER\",\"period\":\"5m\",\"period\":\"2m\",\"open\":1,\"high\":2,\"low\":1,"
                        + "\"close\":2," + ts + "}", // every period given counts, not only the last
                "{\"ticker\":\"SBER\",\"period\":\"2m\",\"open\":-0,\"high\":2,\"low\":-0,\"close\":2," + ts + "}",
        }) {
            assertSameOutcome(candle.getBytes(StandardCharsets.UTF_8), CandleJson::read, JacksonFallback::readCandle);
        }
    }

    @Test
    void damagedPricesGiveTheSameRecordOrErrorOnBothPaths() {
        for (int i = 0; i < 100_000; i++) {
            byte[] damaged = damage(PriceJson.write(new Price(ticker(), value(), ts())));
            assertSameOutcome(damaged, PriceJson::read, JacksonFallback::readPrice);
        }
    }

    @Test
    void damagedCandlesGiveTheSameRecordOrErrorOnBothPaths() {
        for (int i = 0; i < 100_000; i++) {
            Candle candle = new Candle(ticker(), period(), 2, 3, 1, 2.5, CandlePeriod.TEN_MINUTES.windowStart(ts()));
            byte[] damaged = damage(CandleJson.write(candle));
            assertSameOutcome(damaged, CandleJson::read, JacksonFallback::readCandle);
        }
    }

    private static <T> void assertSameOutcome(byte[] json, Function<byte[], T> compactFirst,
            Function<byte[], T> jacksonOnly) {
        assertThat(outcome(() -> compactFirst.apply(json)))
                .as(new String(json, StandardCharsets.UTF_8))
                .isEqualTo(outcome(() -> jacksonOnly.apply(json)));
    }

    /** The record, or the error's message. */
    private static String outcome(java.util.function.Supplier<?> read) {
        try {
            return Objects.toString(read.get());
        } catch (InvalidRecordException e) {
            return "error: " + e.getMessage();
        }
    }

    /** One to three random insertions, deletions or replacements. */
    private byte[] damage(byte[] json) {
        StringBuilder text = new StringBuilder(new String(json, StandardCharsets.UTF_8));
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            int at = random.nextInt(text.length() + 1);
            char c = DAMAGE.charAt(random.nextInt(DAMAGE.length()));
            switch (random.nextInt(3)) {
                case 0 -> text.insert(at, c);
                case 1 -> text.deleteCharAt(Math.min(at, text.length() - 1));
                default -> text.setCharAt(Math.min(at, text.length() - 1), c);
            }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String ticker() {
        return switch (random.nextInt(4)) {
            case 0 -> "SBER";
            case 1 -> "T" + random.nextInt(100_000);
            case 2 -> "BRK.B";
            default -> "a-b_c/d";
        };
    }

    private double value() {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextInt(1000);
            case 1 -> random.nextDouble() * 1e-6;
            case 2 -> random.nextDouble() * 1e12;
            default -> 100 + random.nextDouble(20);
        };
    }

    private CandlePeriod period() {
        return CandlePeriod.values()[random.nextInt(CandlePeriod.values().length)];
    }

    private Instant ts() {
        return Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L)); // the wire keeps milliseconds
    }
}
