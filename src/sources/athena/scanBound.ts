// The most a query can scan, before it starts: Athena bills the bytes it reads, and for
// CloudTrail's gzip JSON that is the size of the objects in the partitions the query
// reads. The day folders of the window (one late day included), for the accounts and
// regions chosen (else every value the table projects), are listed with ListObjectsV2 and
// their sizes added. It is an upper bound: Athena reads no more than the partitions the
// predicates leave, and the window's eventTime bounds can only make it read less.
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Cancelled } from '../../protocol/cancelled';
import type { TableInfo } from './tableInfo';
import type { PartitionChoice } from './partitions';

export interface ScanBound {
  readonly bytes: number;
  readonly objects: number;
  /** How many prefixes were listed. */
  readonly prefixes: number;
}

/** Listing more prefixes than this means the table's layout is not one to bound this way. */
const MAX_PREFIXES = 20_000;

/** `s3://bucket/key…` → bucket and key. */
export function parseS3Url(url: string): { bucket: string; key: string } | undefined {
  const [, bucket, key] = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(url.trim()) ?? [];
  return bucket !== undefined && key !== undefined ? { bucket, key } : undefined;
}

/**
 * The prefixes to list: the template filled with each combination of values. A variable
 * with no known values cuts the prefix there (the listing then covers every value of it).
 */
export function scanPrefixes(template: string, values: ReadonlyMap<string, readonly string[]>): string[] {
  let prefixes = [''];
  const parts = template.split(/(\$\{[^}]+\})/);
  for (const part of parts) {
    const variable = /^\$\{([^}]+)\}$/.exec(part)?.[1]?.toLowerCase();
    if (variable === undefined) {
      prefixes = prefixes.map((p) => p + part);
      continue;
    }
    const choices = values.get(variable);
    if (!choices || choices.length === 0) break;
    prefixes = prefixes.flatMap((p) => choices.map((c) => p + c));
    if (prefixes.length > MAX_PREFIXES)
      throw new Error(
        `the table's partitions make ${prefixes.length}+ folders to list for the cost bound; name fewer accounts or regions, or a shorter window`,
      );
  }
  // Folders: `…/2024/01/02` must not also match `…/2024/01/020`.
  return [...new Set(prefixes.map((p) => (p.endsWith('/') ? p : `${p}/`)))];
}

/** The values each partition takes in this run: the day folders, the chosen or projected accounts and regions. */
export function partitionValues(info: TableInfo, days: readonly string[], choice: PartitionChoice): Map<string, readonly string[]> {
  const values = new Map<string, readonly string[]>(info.projectedValues);
  const { dayColumn, accountColumn, regionColumn } = info.layout;
  if (dayColumn) values.set(dayColumn, days);
  if (accountColumn && choice.accounts?.length) values.set(accountColumn, choice.accounts);
  if (regionColumn && choice.regions?.length) values.set(regionColumn, choice.regions);
  return values;
}

export async function scanBound(s3: S3Client, prefixUrls: readonly string[], signal?: AbortSignal): Promise<ScanBound> {
  let bytes = 0;
  let objects = 0;
  for (const url of prefixUrls) {
    const where = parseS3Url(url);
    if (!where) throw new Error(`the table's location ${url} is not an s3:// URL`);
    let token: string | undefined;
    do {
      if (signal?.aborted) throw new Cancelled();
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: where.bucket, Prefix: where.key, ...(token ? { ContinuationToken: token } : {}) }),
        signal ? { abortSignal: signal } : {},
      );
      for (const object of page.Contents ?? []) {
        bytes += object.Size ?? 0;
        objects += 1;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  return { bytes, objects, prefixes: prefixUrls.length };
}
