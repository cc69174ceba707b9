// The background traffic: for each planned event time, pick who acts (person, workload
// or the running burst), renew their credentials if due (the renewal is the event),
// pick an action, decide whether it fails, and build the record.
//
// Guarantees that keep detections quiet on a clean trail live here, next to the
// choices they constrain:
//  - CreateAccessKey only by IAM users in sessions with MFA, for themself (otherwise the call becomes a read);
//  - no caller gets AccessDenied more than once a minute, nor makes direct
//    AssumeRole calls closer than 20 s apart: so no denial or AssumeRole bursts;
//  - the action mixes contain no StopLogging/DeleteTrail, no root, no MFA-less console
//    login, no 0.0.0.0/0 ingress and no AdministratorAccess attachment.
import type { ActionDef, ErrorKind } from './action';
import { oneOffRoleSession, type Actor, type Actors } from './actors';
import type { Session } from './identities';
import type { Rng } from './prng';
import { makeRecord } from './record';
import { action } from './services/index';
import { HOUR, SECOND } from './time';
import type { Region, Timed, UserIdentity } from './types';

const DENIED_RATE = 0.008;
const THROTTLE_RATE = 0.006;
const DENIED_GAP = 60 * SECOND;
const ASSUME_GAP = 20 * SECOND;
const LOGIN_FAILURE_RATE = 0.04;

export class Background {
  private readonly lastDenied = new Map<string, number>();
  private readonly lastAssume = new Map<string, number>();
  private readonly loginFailed = new Set<Actor>();
  private readonly started = new Set<Actor>();
  private readonly readInstead: ActionDef;
  private readonly listKeys: ActionDef;

  constructor(
    private readonly rng: Rng,
    private readonly actors: Actors,
  ) {
    this.readInstead = action('sts:GetCallerIdentity');
    this.listKeys = action('iam:ListAccessKeys');
  }

  /** Stretches session lifetimes when the trail is sparse, so that renewals stay a
   *  small share of each actor's records instead of preceding nearly every call. */
  tuneSessions(eventsPerHour: number): void {
    let humanW = 0;
    let machineW = 0;
    for (const a of this.actors.all) a.klass === 'human' ? (humanW += a.weight) : (machineW += a.weight);
    for (const a of this.actors.all) {
      if (!a.sessions) continue;
      const share = a.klass === 'human' ? (0.25 * a.weight) / humanW : (0.75 * a.weight) / machineW;
      const perHour = eventsPerHour * share;
      const wanted = perHour > 0 ? (25 / perHour) * HOUR : 12 * HOUR;
      a.sessions = { ...a.sessions, ttl: Math.min(12 * HOUR, Math.max(a.sessions.ttl, wanted)) };
    }
  }

  next(t: number, humanShare: number, burst: number, burstKind: number): Timed {
    const rng = this.rng;
    let actor: Actor;
    let actions;
    let throttle = THROTTLE_RATE;
    const b = burstKind >= 0 ? this.actors.bursts[burstKind] : undefined;
    if (b !== undefined && rng.float() < burst) {
      actor = b.actor;
      actions = b.actions;
      throttle = b.throttle;
    } else {
      actor = rng.float() < humanShare ? this.actors.human.draw(rng) : this.actors.machine.draw(rng);
      actions = actor.actions;
    }

    let identity: UserIdentity;
    let session: Session | undefined;
    if (actor.sessions) {
      const src = actor.sessions;
      const current = actor.session;
      if (!current || t >= current.expires) {
        if (!this.started.has(actor)) {
          // The first session began before this event, unseen (maybe before the range).
          this.started.add(actor);
          actor.session = src.mint(rng, t - Math.floor(rng.float() * src.ttl * 0.9), src.ttl);
        } else {
          if (src.failedRenewal && !this.loginFailed.has(actor) && rng.chance(LOGIN_FAILURE_RATE)) {
            this.loginFailed.add(actor);
            return src.failedRenewal(rng, t);
          }
          this.loginFailed.delete(actor);
          actor.session = src.mint(rng, t, src.ttl);
          if (src.renew) return src.renew(rng, actor.session);
        }
      }
      session = actor.session!;
      identity = session.identity;
    } else identity = actor.identity!;

    let def = actions.draw(rng);
    const caller = identity.arn ?? identity.invokedBy ?? actor.id;
    let minted: Session | undefined;
    if (def.key === 'sts:AssumeRole') {
      const last = this.lastAssume.get(caller);
      if (!actor.assumeTargets || (last !== undefined && t - last < ASSUME_GAP)) def = this.readInstead;
      else {
        this.lastAssume.set(caller, t);
        const target = rng.pick(actor.assumeTargets);
        minted = oneOffRoleSession(rng, target.acct, target.roleName, `deploy-${rng.range(100_000, 999_999)}`, t);
      }
    } else if (
      def.key === 'iam:CreateAccessKey' &&
      (identity.type !== 'IAMUser' || identity.sessionContext?.attributes.mfaAuthenticated !== 'true')
    ) {
      def = this.listKeys;
    }

    // AWS services acting on their own (key rotation, CloudTrail's bucket checks) do not fail.
    let error: ErrorKind | undefined;
    const x = identity.type === 'AWSService' ? 1 : rng.float();
    if (x < DENIED_RATE) {
      const last = this.lastDenied.get(caller);
      if (identity.arn && (last === undefined || t - last >= DENIED_GAP)) {
        this.lastDenied.set(caller, t);
        error = 'denied';
      }
    } else if (x < DENIED_RATE + throttle) error = 'throttle';
    else if (def.notFoundRate && rng.float() < def.notFoundRate) error = 'notfound';

    const region: Region = typeof actor.regions === 'string' ? actor.regions : actor.regions.draw(rng);
    return makeRecord(def, {
      rng,
      time: t,
      acct: actor.acct,
      region,
      identity,
      ip: session?.ip ?? actor.ip(rng, region),
      ua: actor.ua(rng, def),
      attrs: actor.attrs,
      error,
      console: actor.console,
      vpce: actor.vpce > 0 && rng.float() < actor.vpce,
      tls12: actor.tls12,
      session: minted,
    });
  }
}
