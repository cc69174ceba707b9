// How CloudTrail lays files out in its bucket: one stream per account and region, a
// file every 5-15 minutes while there are events, named after its delivery time:
//   AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_RANDOM16.json.gz
// The folder date is the delivery time's, so an event at 23:58 can sit in the next
// day's folder: readers that filter by folder must allow for it.
import { join } from 'node:path';
import { mixedAlnum } from './ids';
import type { Rng } from './prng';
import { deliveryParts, MINUTE } from './time';
import type { CloudTrailRecord, Timed } from './types';
import type { GzipWriter } from './writer';

interface Stream {
  account: string;
  region: string;
  records: CloudTrailRecord[];
  /** Delivery time of the open file: it takes the events strictly before it. */
  due: number;
}

export class Delivery {
  private readonly streams = new Map<string, Stream>();

  constructor(
    private readonly rng: Rng,
    private readonly outDir: string,
    private readonly writer: GzipWriter,
  ) {}

  /** Events must arrive in time order. */
  add(e: Timed): void {
    const account = e.r.recipientAccountId;
    const region = e.r.awsRegion;
    const key = account + region;
    let s = this.streams.get(key);
    if (!s) {
      s = { account, region, records: [], due: 0 };
      this.streams.set(key, s);
    }
    if (s.records.length > 0 && e.t >= s.due) this.flush(s);
    if (s.records.length === 0) {
      // Delivery on a whole minute, 5 to 15 minutes after the file's first event.
      s.due = Math.ceil((e.t + this.rng.range(5, 15) * MINUTE) / MINUTE) * MINUTE;
    }
    s.records.push(e.r);
  }

  /** Delivers every open file. */
  finish(): void {
    for (const s of this.streams.values()) if (s.records.length > 0) this.flush(s);
  }

  private flush(s: Stream): void {
    const { folder, stamp } = deliveryParts(s.due);
    const name = `${s.account}_CloudTrail_${s.region}_${stamp}_${mixedAlnum(this.rng, 16)}.json.gz`;
    const path = join(this.outDir, 'AWSLogs', s.account, 'CloudTrail', s.region, folder, name);
    this.writer.write(path, s.records);
    s.records = [];
  }
}
