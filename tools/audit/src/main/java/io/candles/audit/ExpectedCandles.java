package io.candles.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.candles.audit.ReferenceStage.Observation;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;

/**
 * The candles the pipeline must produce, recomputed from the prices of each partition in partition order by a
 * second implementation of the aggregation rules ({@link ReferenceStage}), independent of the production
 * {@code CandleAggregator}: a test that checks the pipeline against the audit then also checks the aggregation.
 *
 * <p>Each partition has its own chain of three stages: prices to 1m, every closed 1m candle at once to 2m, every
 * closed 2m candle at once to 10m, as the pipeline chains them through the {@code candles} topic (same partition
 * number). Each stage of each partition applies these rules to its inputs, in arrival order:
 * <ol>
 *   <li>Windows are {@code [start, start + period)} in epoch milliseconds, aligned to the epoch (floor, also
 *       before 1970). A candle's ts is its window start. A price picks its window and moves the stream by its ts;
 *       a candle input picks its window by its start and moves the stream by its end.</li>
 *   <li>A candle input whose start is at or before that of the newest candle accepted for its ticker is a
 *       redelivered duplicate: dropped, no effect.</li>
 *   <li>Otherwise an input is late, dropped with no effect but a count, if it is before the start of its ticker's
 *       open window or before the end of its ticker's newest closed window. So a ticker's windows only move
 *       forward, and a window once closed never takes anything again.</li>
 *   <li>An accepted input at or after the end of its ticker's open window ({@code >=}) closes that window first.
 *       It then joins the window that contains it, which opens with it if none is open.</li>
 *   <li>A candle input whose end reaches ({@code >=}) its window's end closes the window: the last sub-candle
 *       completes it.</li>
 *   <li>The stage's stream time is the greatest event time accepted so far, over all tickers of the partition.
 *       Every other ticker's open window whose end plus the grace is at or before it then closes (a ticker that
 *       fell silent). The ticker of the input itself never closes this way. Other partitions have no effect.</li>
 *   <li>A closed window's candle: open from its first input by arrival (not by ts), close from its last input by
 *       arrival, high the greatest high, low the least low, values unrounded (rounding is monotone, so rounding
 *       the 1m candles first would give the same 6-decimal lines).</li>
 *   <li>The candles one input closes leave the stage oldest window first; windows with the same start keep the
 *       order in which they closed: the input's own ticker first, then the others in the order the partition
 *       first saw them. Each one goes to the next stage before the following one, and {@link #closed()} lists
 *       them in that order.</li>
 *   <li>The grace is the same for every stage, at millisecond precision (a sub-millisecond part is dropped).</li>
 * </ol>
 * Only closed windows are expected; the rest are still open.
 */
public final class ExpectedCandles {

    private static final List<CandlePeriod> CHAIN =
            List.of(CandlePeriod.ONE_MINUTE, CandlePeriod.TWO_MINUTES, CandlePeriod.TEN_MINUTES);

    private final Duration grace;
    private final Map<Integer, List<ReferenceStage>> chains = new HashMap<>();
    private final List<Candle> closed = new ArrayList<>();

    /**
     * @param grace the consumers' {@code candles.grace}
     * @throws IllegalArgumentException if the grace is negative
     */
    public ExpectedCandles(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
        this.grace = grace;
    }

    public void add(int partition, Price price) {
        List<ReferenceStage> chain = chains.computeIfAbsent(partition,
                p -> CHAIN.stream().map(period -> new ReferenceStage(period, grace)).toList());
        feed(chain, 0, Observation.of(price));
    }

    private void feed(List<ReferenceStage> chain, int stage, Observation observation) {
        for (Candle candle : chain.get(stage).accept(observation)) {
            closed.add(candle);
            if (stage + 1 < chain.size()) {
                feed(chain, stage + 1, Observation.of(candle));
            }
        }
    }

    /** Every closed candle of every period, in the order the stages closed them. */
    public List<Candle> closed() {
        return closed;
    }

    /** Prices dropped as late by the 1m stage's rules. */
    public long latePrices() {
        return chains.values().stream().mapToLong(chain -> chain.get(0).late()).sum();
    }

    /** Windows still open, over all partitions and periods. */
    public int openWindows() {
        return chains.values().stream().flatMap(List::stream).mapToInt(ReferenceStage::openWindows).sum();
    }
}
