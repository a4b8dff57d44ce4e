package io.candles.consumer;

/**
 * What to commit for one partition on revocation: the offset, and optionally metadata that travels with it to the
 * partition's next owner (the sink's written high-water marks).
 */
public record PartitionCommit(long offset, String metadata) {

    public static PartitionCommit offset(long offset) {
        return new PartitionCommit(offset, null);
    }
}
