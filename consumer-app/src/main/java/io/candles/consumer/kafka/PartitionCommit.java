package io.candles.consumer.kafka;

/**
 * What to commit for one partition: the offset of its first record whose work is not done, and optionally metadata
 * that travels with it to whoever reads the partition next (a stage's stream time).
 */
public record PartitionCommit(long offset, String metadata) {
}
