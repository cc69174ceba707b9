// The full cast of the background traffic, built fresh for each trail because actors
// carry session state.
import { type Actors } from './actor';
import { assumedRole, newSessionKey, type Session } from './identities';
import { role, type AccountResources, type Org } from './org';
import { Weighted, type Rng } from './prng';
import { people } from './people';
import { HOUR } from './time';
import { workloads } from './workloads';

export type { Actor, Actors, BurstKind } from './actor';

/** A fresh set of actors (they carry session state, so one set per generated trail). */
export function buildActors(org: Org): Actors {
  const humans = people(org);
  const { actors: machines, bursts } = workloads(org);
  return {
    human: new Weighted(humans.map((a) => [a, a.weight] as const)),
    machine: new Weighted(machines.map((a) => [a, a.weight] as const)),
    bursts,
    all: [...humans, ...machines],
  };
}

/** A session for a role assumed as an ordinary action (its key is not used later). */
export function oneOffRoleSession(rng: Rng, acct: AccountResources, roleName: string, sessionName: string, t: number): Session {
  const key = newSessionKey(rng);
  return { key, created: t, expires: t + HOUR, identity: assumedRole(acct, role(acct, roleName), sessionName, key, t) };
}
