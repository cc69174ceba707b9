// What an actor is: one source of background traffic (a person in one account, one
// instance, one function, one machine user…) with its habits: actions, regions,
// addresses, user agent and credentials.
import type { ActionDef, ActorAttrs } from './action';
import type { Session } from './identities';
import type { AccountResources } from './org';
import { Weighted, type Rng } from './prng';
import type { SessionSource } from './sessions';
import { REGIONS, type Region, type UserIdentity } from './types';

export type ActorClass = 'human' | 'machine';

export interface Actor {
  id: string;
  acct: AccountResources;
  klass: ActorClass;
  weight: number;
  regions: Weighted<Region> | Region;
  actions: Weighted<ActionDef>;
  attrs: ActorAttrs;
  ip: (rng: Rng, region: Region) => string;
  ua: (rng: Rng, def: ActionDef) => string;
  /** Share of S3/KMS calls that go through the VPC's endpoints. */
  vpce: number;
  tls12: boolean;
  /** Calls come from a console session (sessionCredentialFromConsole). */
  console: boolean;
  /** Long-term or service credentials; otherwise `sessions` mints temporary ones. */
  identity?: UserIdentity;
  sessions?: SessionSource;
  /** Runtime state: the credentials in use. */
  session?: Session;
  /** Roles this actor assumes as an ordinary action (not to renew its own session). */
  assumeTargets?: { acct: AccountResources; roleName: string }[];
}

/** A short, intense stretch of one actor's activity: a Terraform plan, a bulk job. */
export interface BurstKind {
  name: string;
  actor: Actor;
  actions: Weighted<ActionDef>;
  throttle: number;
}

export interface Actors {
  human: Weighted<Actor>;
  machine: Weighted<Actor>;
  bursts: BurstKind[];
  all: Actor[];
}

/** People work mostly from Europe, some in the US, a little in Sydney. */
export const HUMAN_REGIONS = new Weighted<Region>([
  ['eu-west-1', 0.6],
  ['us-east-1', 0.3],
  ['ap-southeast-2', 0.1],
]);
export const EVERY_REGION = new Weighted<Region>(REGIONS.map((r) => [r, 1] as const));
