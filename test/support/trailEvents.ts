// Small CloudTrail log files written by a test, with events at times relative to now, so a
// scheduled check (whose windows follow the clock) has events to find, and a test can add
// a later delivery between two runs.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TrailEventSpec {
  readonly eventName: string;
  readonly eventSource?: string;
  readonly minutesAgo: number;
  readonly actor?: string;
  readonly requestParameters?: Record<string, unknown> | null;
  readonly eventID?: string;
  readonly sourceIPAddress?: string;
}

export function trailEvent(spec: TrailEventSpec, now: Date = new Date()): Record<string, unknown> {
  const actor = spec.actor ?? 'arn:aws:iam::111122223333:user/alice';
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: actor, accountId: '111122223333', userName: actor.split('/').pop() },
    eventTime: new Date(now.getTime() - spec.minutesAgo * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: spec.eventSource ?? 'cloudtrail.amazonaws.com',
    eventName: spec.eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: spec.sourceIPAddress ?? '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: spec.requestParameters ?? null,
    responseElements: null,
    requestID: randomUUID(),
    eventID: spec.eventID ?? randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  };
}

/** Writes one delivered log file (`{"Records": […]}`) into `dir`. */
export function deliverLogFile(dir: string, name: string, records: readonly Record<string, unknown>[]): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ Records: records }));
  return path;
}
