/**
 * How a batch of the cache is written, chosen by measurement (bench/cacheWrite.ts; the
 * figures are in docs/local-logs.md):
 * - Parquet V2: its string encodings keep the lengths apart from the bytes, so the random
 *   ids (eventID, requestID) compress better: 5% less disk, for the same CPU.
 * - zstd at level 1: no larger than the default level 3 on these columns (slightly smaller),
 *   and no slower; higher levels cost 30% more CPU for 5% less disk.
 * - Row groups of 30,000 rows: the writer holds a row group per thread until it is full, so
 *   at DuckDB's default of 122,880 the write of a 33 MB batch peaked at 700 MB; at 30,000 it
 *   peaks at 340 MB, for 1% more disk.
 */
export const BATCH_PARQUET = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, PARQUET_VERSION 'V2', ROW_GROUP_SIZE 30000";
