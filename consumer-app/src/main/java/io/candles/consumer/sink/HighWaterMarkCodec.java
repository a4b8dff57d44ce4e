package io.candles.consumer.sink;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import io.candles.domain.CandlePeriod;

/**
 * The written high-water marks of one partition's series, as the metadata string of a Kafka offset commit: how
 * they travel to the partition's next owner, who writes to other files and could not know what this instance wrote.
 *
 * <p>Format: {@code hwm1:} + Base64 of the deflated lines {@code <period> <epoch second> <ticker>} (the ticker last:
 * it may hold spaces). Kafka caps commit
 * metadata ({@code offset.metadata.max.bytes}, 4096 by default), so an encoding above {@link #MAX_CHARS} is not
 * used (the caller commits without it and says so).
 */
final class HighWaterMarkCodec {

    static final int MAX_CHARS = 4_000;
    private static final String PREFIX = "hwm1:";

    private HighWaterMarkCodec() {
    }

    /** Empty when the marks do not fit into commit metadata. */
    static Optional<String> encode(Map<CandlePeriod, Map<String, Instant>> marks) {
        StringBuilder text = new StringBuilder();
        marks.forEach((period, newest) -> newest.forEach((ticker, ts) -> text.append(period.label()).append(' ')
                .append(ts.getEpochSecond()).append(' ').append(ticker).append('\n')));
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(text.toString().getBytes(StandardCharsets.UTF_8));
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        String encoded = PREFIX + Base64.getEncoder().encodeToString(out.toByteArray());
        return encoded.length() <= MAX_CHARS ? Optional.of(encoded) : Optional.empty();
    }

    /** Empty for metadata this codec did not write (another tool's, or none). */
    static Optional<Map<CandlePeriod, Map<String, Instant>>> decode(String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            Inflater inflater = new Inflater();
            inflater.setInput(Base64.getDecoder().decode(metadata.substring(PREFIX.length())));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                out.write(chunk, 0, n);
            }
            inflater.end();
            Map<CandlePeriod, Map<String, Instant>> marks = new EnumMap<>(CandlePeriod.class);
            for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split(" ", 3);
                marks.computeIfAbsent(CandlePeriod.parse(fields[0]), p -> new HashMap<>())
                        .put(fields[2], Instant.ofEpochSecond(Long.parseLong(fields[1])));
            }
            return Optional.of(marks);
        } catch (DataFormatException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
