package io.candles.consumer.sink;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;
import io.candles.wire.CandleCsv;

/**
 * The candle files of one output directory: {@code candles_1m.csv}, {@code candles_2m.csv}, {@code candles_10m.csv}.
 *
 * <p>The files are their own progress record: each append is one batch, written whole and forced to disk before
 * anyone is told; at start-up the newest candle of every series (ticker and period) is read back from them, so a
 * candle delivered again after a crash is recognised as written. A torn last line (a crash in the middle of an
 * append) is cut off: that batch was never acknowledged and will be delivered again.
 */
public final class CandleFiles {

    private static final Logger LOG = Logger.getLogger(CandleFiles.class);

    private final Path directory;

    public CandleFiles(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    public Path fileOf(CandlePeriod period) {
        return directory.resolve(CandleCsv.fileName(period));
    }

    /** Newest written candle start per ticker, per period, read back from the files (created if missing). */
    public Map<CandlePeriod, Map<String, Instant>> recoverHighWaterMarks() throws IOException {
        Files.createDirectories(directory);
        Map<CandlePeriod, Map<String, Instant>> marks = new EnumMap<>(CandlePeriod.class);
        for (CandlePeriod period : CandlePeriod.values()) {
            Path file = fileOf(period);
            Map<String, Instant> newest = new HashMap<>();
            marks.put(period, newest);
            if (!Files.exists(file)) {
                continue;
            }
            cutTornLastLine(file);
            long lines = 0;
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    lines++;
                    try {
                        Candle candle = CandleCsv.parse(line, period);
                        newest.merge(candle.ticker(), candle.ts(), CandleBatchWriter::later);
                    } catch (InvalidRecordException e) {
                        LOG.warnf("%s line %d is not a candle, ignored: %s", file, lines, e.getMessage());
                    }
                }
            }
            LOG.infof("Recovered %d %s candles of %d tickers from %s", lines, period.label(), newest.size(), file);
        }
        return marks;
    }

    /** Appends the candles as one write and forces it to disk; on failure the file is cut back to where it was. */
    public void append(CandlePeriod period, List<Candle> candles) throws IOException {
        StringBuilder text = new StringBuilder(candles.size() * 64);
        for (Candle candle : candles) {
            text.append(CandleCsv.line(candle)).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        Path file = fileOf(period);
        boolean created = !Files.exists(file);
        // Opened per batch: a directory that was replaced or remounted is noticed at the next batch.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long sizeBefore = channel.size();
            try {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(false);
            } catch (IOException e) {
                channel.truncate(sizeBefore);
                throw e;
            }
        }
        if (created) {
            forceDirectory(); // the new file's name must survive a power loss too, not only its bytes
        }
    }

    private void forceDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static void cutTornLastLine(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long end = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                channel.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < size) {
                LOG.warnf("%s ends with a torn line of %d bytes (a crash during a write); cutting it off", file,
                        size - end);
                channel.truncate(end);
                channel.force(true);
            }
        }
    }
}
