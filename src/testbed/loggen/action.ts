// One API action as the generator knows it: which service logs it, whether it reads or
// writes, and how to build its requestParameters / responseElements / resources for a
// given caller. Each services/*.ts file declares the actions of one service.
import type { Session } from './identities';
import type { AccountResources, Bucket, Instance, RegionalResources } from './org';
import type { Rng } from './prng';
import type { CloudTrailRecord, Region, Resource, UserIdentity } from './types';
import { servicePrefix } from './servicePrefix';

export type ErrorKind = 'denied' | 'throttle' | 'notfound';

/** What a workload is bound to, when it is: its instance, its function, its buckets. */
export interface ActorAttrs {
  instance?: Instance;
  functionName?: string;
  bucketPurposes?: readonly Bucket['purpose'][] | undefined;
}

export interface Ctx {
  rng: Rng;
  time: number;
  acct: AccountResources;
  region: Region;
  res: RegionalResources;
  identity: UserIdentity;
  requestId: string;
  attrs: ActorAttrs;
  /** Credentials this call hands out (AssumeRole, GetFederationToken, ConsoleLogin…). */
  session?: Session | undefined;
}

export interface Body {
  requestParameters: unknown;
  responseElements?: unknown;
  resources?: Resource[];
  additionalEventData?: unknown;
  serviceEventDetails?: unknown;
  /** The Host header the client sent, when it is not service.region.amazonaws.com. */
  host?: string;
}

export interface ActionDef {
  key: string;
  source: string;
  name: string;
  /** The IAM action named in AccessDenied messages, e.g. ec2:DescribeInstances. */
  iamAction: string;
  readOnly: boolean;
  version: string;
  /** Logged in us-east-1 whatever the caller's region (IAM, STS, sign-in, ListBuckets). */
  global?: boolean | undefined;
  /** S3 object-level calls: eventCategory Data, managementEvent false. */
  data?: boolean | undefined;
  eventType?: CloudTrailRecord['eventType'] | undefined;
  requestId?: 'uuid' | 's3' | 'none' | undefined;
  /** Share of calls that fail because the named thing does not exist. */
  notFoundRate?: number | undefined;
  notFound?: ((c: Ctx) => readonly [code: string, message: string]) | undefined;
  build: (c: Ctx) => Body;
}

interface Options {
  readOnly?: boolean;
  version?: string;
  global?: boolean;
  data?: boolean;
  eventType?: CloudTrailRecord['eventType'];
  requestId?: 'uuid' | 's3' | 'none';
  notFoundRate?: number;
  notFound?: ActionDef['notFound'];
  iamAction?: string;
}

const IAM_PREFIX: Record<string, string> = { monitoring: 'cloudwatch', tagging: 'tag' };

/** Declares an action. Names starting with Describe/List/Get/Head/Lookup read by default. */
export function api(source: string, name: string, options: Options, build: ActionDef['build']): ActionDef {
  const prefix = servicePrefix(source);
  const iamName = name.replace(/\d{8}(v\d)?$/, ''); // Lambda's versioned event names
  return {
    key: `${prefix}:${name}`,
    source,
    name,
    iamAction: options.iamAction ?? `${IAM_PREFIX[prefix] ?? prefix}:${iamName}`,
    readOnly: options.readOnly ?? /^(Describe|List|Get|Head|Lookup|BatchGet|Filter|Search)/.test(name),
    version: options.version ?? '1.08',
    global: options.global,
    data: options.data,
    eventType: options.eventType,
    requestId: options.requestId,
    notFoundRate: options.notFoundRate,
    notFound: options.notFound,
    build,
  };
}

/** A bucket for a call: one of the caller's usual purposes in this region, else any. */
export function pickBucket(c: Ctx): Bucket | undefined {
  const all = c.res.buckets;
  if (all.length === 0) return undefined;
  const wanted = c.attrs.bucketPurposes;
  if (wanted) {
    const mine = all.filter((b) => wanted.includes(b.purpose));
    if (mine.length > 0) return c.rng.pick(mine);
  }
  return c.rng.pick(all);
}
