package io.candles.consumer.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.candles.wire.Topics;

class DeadLetterLedgerTest {

    @Test
    void aReadThatFailedIsTriedAgainAtTheNextQuestion() {
        AtomicInteger reads = new AtomicInteger();
        DeadLetterLedger ledger = new DeadLetterLedger(() -> {
            if (reads.incrementAndGet() == 1) {
                throw new IllegalStateException("broker away");
            }
            return Set.of(DeadLetterLedger.origin(Topics.PRICES, 0, 7));
        });

        assertThat(ledger.contains(Topics.PRICES, 0, 7)).as("unknown while the topic cannot be read").isFalse();
        assertThat(ledger.contains(Topics.PRICES, 0, 7)).isTrue();
        assertThat(ledger.contains(Topics.PRICES, 0, 8)).isFalse();
        assertThat(reads).hasValue(2);
    }

    @Test
    void whatThisProcessWroteIsKnownWithoutReadingTheTopic() {
        AtomicInteger reads = new AtomicInteger();
        DeadLetterLedger ledger = new DeadLetterLedger(() -> {
            reads.incrementAndGet();
            return Set.of();
        });
        ledger.written(Topics.CANDLES, 2, 40);

        assertThat(ledger.contains(Topics.CANDLES, 2, 40)).isTrue();
        assertThat(reads).hasValue(0);
    }
}
