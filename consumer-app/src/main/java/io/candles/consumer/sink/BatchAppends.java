package io.candles.consumer.sink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

import io.candles.consumer.sink.PeriodBatches.Pending;
import io.candles.domain.CandlePeriod;

/**
 * Batches on their way from the buffers to disk: appended to their period's file, then forced, each file once however
 * many batches it got. Until the force they are provisional: a failed append or force cuts the files back to what was
 * forced ({@link CandleFiles}) and puts the batches not forced back in front of their buffers, in their order, to be
 * appended again. Not thread-safe: the {@link CandleBatchWriter} guards it, and never lets go of its lock with a batch
 * appended but not forced.
 */
final class BatchAppends {

    private record AppendedBatch(CandlePeriod period, List<Pending> candles) {
    }

    private final CandleFiles files;
    private final PeriodBatches batches;
    /** In append order. */
    private final List<AppendedBatch> appended = new ArrayList<>();

    BatchAppends(CandleFiles files, PeriodBatches batches) {
        this.files = files;
        this.batches = batches;
    }

    /** Appends the period's oldest {@code count} buffered candles as one batch; empty, or why it failed. */
    Optional<String> append(CandlePeriod period, int count) {
        List<Pending> batch = batches.take(period, count);
        try {
            files.append(period, batch.stream().map(Pending::candle).toList());
        } catch (IOException | RuntimeException e) {
            // The files cut every unforced batch off, this one's earlier companions included: append them again later.
            batches.putBack(period, batch);
            returnToBuffers(appended);
            appended.clear();
            return Optional.of("cannot write " + files.fileOf(period) + ": " + e);
        }
        appended.add(new AppendedBatch(period, batch));
        return Optional.empty();
    }

    /**
     * Forces each file that has appended batches, once, and hands each forced batch to {@code onDisk}. When a force
     * fails, the files forced before it keep their batches (handed over), the others were cut back and their batches
     * are buffered again. Empty, or why it failed.
     */
    Optional<String> force(BiConsumer<CandlePeriod, List<Pending>> onDisk) {
        if (appended.isEmpty()) {
            return Optional.empty();
        }
        List<AppendedBatch> toForce = List.copyOf(appended);
        appended.clear();
        Set<CandlePeriod> forced = EnumSet.noneOf(CandlePeriod.class);
        String failure = null;
        for (AppendedBatch batch : toForce) {
            if (forced.contains(batch.period())) {
                continue;
            }
            try {
                files.force(batch.period());
            } catch (IOException | RuntimeException e) {
                failure = "cannot force " + files.fileOf(batch.period()) + " to disk: " + e;
                break;
            }
            forced.add(batch.period());
        }
        List<AppendedBatch> unforced = new ArrayList<>();
        for (AppendedBatch batch : toForce) {
            if (forced.contains(batch.period())) {
                onDisk.accept(batch.period(), batch.candles());
            } else {
                unforced.add(batch);
            }
        }
        returnToBuffers(unforced);
        return Optional.ofNullable(failure);
    }

    /** Puts batches that were cut off the files back at the front of their buffers, in their original order. */
    private void returnToBuffers(List<AppendedBatch> cutOff) {
        for (int i = cutOff.size() - 1; i >= 0; i--) {
            batches.putBack(cutOff.get(i).period(), cutOff.get(i).candles());
        }
    }
}
