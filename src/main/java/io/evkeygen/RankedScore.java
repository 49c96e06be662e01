package io.evkeygen;

/** One ranked search result: its score and where its metadata is, {@code (shard_idx, row_idx)}. */
public record RankedScore(float score, long shardIdx, long rowIdx) {}
