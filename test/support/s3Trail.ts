// Small hand-made trails in the S3 layout CloudTrail writes, for tests that need to know
// exactly which event sits in which day folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const ACCOUNT = '111122223333';

export interface PlacedEvent {
  /** Day folder, YYYY/MM/DD. */
  readonly folder: string;
  readonly eventTime: string;
  readonly eventName: string;
  readonly eventID: string;
}

/** Writes one `{"Records": [...]}` file a day folder; returns the file paths. */
export function writeS3Trail(root: string, events: readonly PlacedEvent[], region = 'us-east-1'): string[] {
  const byFolder = new Map<string, PlacedEvent[]>();
  for (const e of events) byFolder.set(e.folder, [...(byFolder.get(e.folder) ?? []), e]);
  const paths: string[] = [];
  for (const [folder, list] of byFolder) {
    const dir = join(root, 'AWSLogs', ACCOUNT, 'CloudTrail', region, folder);
    mkdirSync(dir, { recursive: true });
    const stamp = folder.replaceAll('/', '') + 'T2355Z';
    const path = join(dir, `${ACCOUNT}_CloudTrail_${region}_${stamp}_AbCdEf0123456789.json.gz`);
    const records = list.map((e) => ({
      eventVersion: '1.09',
      eventTime: e.eventTime,
      eventName: e.eventName,
      eventID: e.eventID,
      eventSource: 'iam.amazonaws.com',
      awsRegion: region,
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/bob` },
    }));
    writeFileSync(path, gzipSync(JSON.stringify({ Records: records })));
    paths.push(path);
  }
  return paths;
}
