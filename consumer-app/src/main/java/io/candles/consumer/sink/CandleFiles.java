package io.candles.consumer.sink;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 * <p>The files are their own progress record: each append is one batch, written whole, and a batch counts only once
 * {@link #force} has put its file on disk (the writer acknowledges nothing before); at start-up the newest candle of
 * every series (ticker and period) is read back from them, so a candle delivered again after a crash is recognised as
 * written. A torn last line (a crash in the middle of an append) is cut off: that batch was never acknowledged and
 * will be delivered again. The files stay open between appends; a failure closes them and the next append reopens.
 *
 * <p>Not thread-safe: the {@link CandleBatchWriter} that owns it guards it.
 */
public final class CandleFiles {

    private static final Logger LOG = Logger.getLogger(CandleFiles.class);

    private final Path directory;
    private final Map<CandlePeriod, OpenFile> openFiles = new EnumMap<>(CandlePeriod.class);
    /** A file was created since the directory was last forced: its name must survive a power loss too. */
    private boolean directoryUnforced;
    private long forces;
    /** The OS lock on {@value #LOCK_FILE}, held from the first recovery until {@link #close}. */
    private FileChannel lockChannel;
    private FileLock lock;

    /** The lock file in the output directory: one running instance per directory (released by the OS on exit). */
    static final String LOCK_FILE = ".consumer-app.lock";

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
        lockDirectory();
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
                        newest.merge(candle.ticker(), candle.ts(), WrittenMarks::later);
                    } catch (InvalidRecordException e) {
                        LOG.warnf("%s line %d is not a candle, ignored: %s", file, lines, e.getMessage());
                    }
                }
            }
            LOG.infof("Recovered %d %s candles of %d tickers from %s", lines, period.label(), newest.size(), file);
        }
        return marks;
    }

    /**
     * Appends the candles as one write to the period's file, kept open between appends. The lines are provisional
     * until {@link #force} returns: on failure every file is cut back to its last forced length and closed.
     */
    public void append(CandlePeriod period, List<Candle> candles) throws IOException {
        StringBuilder text = new StringBuilder(candles.size() * 64);
        for (Candle candle : candles) {
            text.append(CandleCsv.line(candle)).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try {
            OpenFile file = open(period);
            while (bytes.hasRemaining()) {
                file.size += file.channel.write(bytes);
            }
        } catch (IOException | RuntimeException e) {
            discardUnforced();
            throw e;
        }
    }

    /**
     * Forces what was appended to the period's file since its last force to disk (nothing to do when nothing was).
     * Fails, after cutting every file back to its last forced length and closing it, when the write-back fails or
     * when the path no longer names the open file (the directory was removed or replaced since it was opened).
     */
    public void force(CandlePeriod period) throws IOException {
        OpenFile file = openFiles.get(period);
        if (file == null || file.size == file.forcedSize) {
            return;
        }
        try {
            file.checkStillAt(fileOf(period));
            if (directoryUnforced) {
                forceDirectory();
                directoryUnforced = false;
            }
            file.channel.force(false);
        } catch (IOException | RuntimeException e) {
            discardUnforced();
            throw e;
        }
        file.forcedSize = file.size;
        forces++;
    }

    /**
     * Cuts every file back to its last forced length and closes it: lines that were never forced belong to batches
     * nobody acknowledged, and a retry appends them again. The next append reopens the file.
     */
    private void discardUnforced() {
        openFiles.forEach((period, file) -> {
            try (FileChannel channel = file.channel) {
                if (file.size > file.forcedSize) {
                    channel.truncate(file.forcedSize);
                }
            } catch (IOException | RuntimeException e) {
                LOG.errorf("Could not cut %s back to its %d forced bytes (%s): a retry may append some of its lines "
                        + "a second time", fileOf(period), file.forcedSize, e.toString());
            }
        });
        openFiles.clear();
    }

    /** Closes the files (shutdown); an append after this opens them again. */
    public void close() {
        if (lockChannel != null) {
            try {
                lockChannel.close(); // releases the lock
            } catch (IOException e) {
                LOG.warnf("Could not release %s: %s", directory.resolve(LOCK_FILE), e.toString());
            }
            lockChannel = null;
            lock = null;
        }
        openFiles.forEach((period, file) -> {
            try {
                file.channel.close();
            } catch (IOException e) {
                LOG.warnf("Could not close %s: %s", fileOf(period), e.toString());
            }
        });
        openFiles.clear();
    }

    /**
     * Takes the directory's lock, or fails with {@link DirectoryInUseException} when another process (or another
     * owner in this one) holds it. An OS lock, so a crashed holder (kill -9) leaves nothing behind.
     */
    private void lockDirectory() throws IOException {
        if (lock != null && lock.isValid()) {
            return;
        }
        Path lockFile = directory.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock taken;
        try {
            taken = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            taken = null;
        }
        if (taken == null) {
            channel.close();
            throw new DirectoryInUseException(directory, lockFile);
        }
        lockChannel = channel;
        lock = taken;
    }

    /** How many times a candle file was forced to disk (directory entries not counted), for tests. */
    long forces() {
        return forces;
    }

    private OpenFile open(CandlePeriod period) throws IOException {
        OpenFile file = openFiles.get(period);
        if (file != null) {
            return file;
        }
        Path path = fileOf(period);
        boolean created = !Files.exists(path);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        directoryUnforced |= created;
        try {
            file = new OpenFile(channel, Files.readAttributes(path, BasicFileAttributes.class).fileKey(),
                    channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        openFiles.put(period, file);
        return file;
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

    /** A candle file kept open between appends: which file it is, its length, and how much of it is on disk. */
    private static final class OpenFile {

        final FileChannel channel;
        /** The file's identity (inode) when opened; null where the file system has none. */
        final Object fileKey;
        long size;
        long forcedSize;

        OpenFile(FileChannel channel, Object fileKey, long size) {
            this.channel = channel;
            this.fileKey = fileKey;
            this.size = size;
            this.forcedSize = size;
        }

        /** An open file outlives its name: forcing it after the directory was moved away would save nothing. */
        void checkStillAt(Path path) throws IOException {
            Object current = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            if (fileKey != null && !fileKey.equals(current)) {
                throw new IOException(path + " is no longer the file that was opened (replaced or moved)");
            }
        }
    }
}
