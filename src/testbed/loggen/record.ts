// Assembles one CloudTrail record from an action, a caller and a time. Field order
// follows what CloudTrail writes; optional fields are left undefined, which
// JSON.stringify omits, so every record is one object literal (fast, stable shape).
import type { ActionDef, ActorAttrs, Body, Ctx, ErrorKind } from './action';
import { deniedError, notFoundError, throttleError, type CallError } from './errors';
import type { Session } from './identities';
import { upperAlnum, uuid } from './ids';
import type { AccountResources } from './org';
import type { Rng } from './prng';
import { isoSeconds } from './time';
import { GLOBAL_REGION, type Region, type Timed, type TlsDetails, type UserIdentity } from './types';
import { servicePrefix } from './servicePrefix';

export interface CallSpec {
  rng: Rng;
  time: number;
  acct: AccountResources;
  /** Ignored for global actions, which are always logged in us-east-1. */
  region: Region;
  identity: UserIdentity;
  ip: string;
  ua: string;
  attrs?: ActorAttrs;
  error?: ErrorKind | CallError | undefined;
  /** The session was opened in the console (sessionCredentialFromConsole). */
  console?: boolean;
  /** Through the VPC's interface/gateway endpoint: a private source address. */
  vpce?: boolean;
  tls12?: boolean;
  session?: Session | undefined;
  /** Replaces parts of what the action would build (attacks use it). */
  body?: Partial<Body>;
  sharedEventID?: string;
}

const NO_ATTRS: ActorAttrs = {};
const tlsCache = new Map<string, TlsDetails>();

function tls(host: string, v12: boolean): TlsDetails {
  const k = v12 ? host + '|2' : host;
  let t = tlsCache.get(k);
  if (!t) {
    t = v12
      ? { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256', clientProvidedHostHeader: host }
      : { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host };
    tlsCache.set(k, t);
  }
  return t;
}

/** Calls made by AWS itself carry a service name instead of an address, and no TLS details. */
export function isServiceAddress(ip: string): boolean {
  return ip.endsWith('.amazonaws.com') || ip === 'AWS Internal';
}

function defaultHost(prefix: string, region: Region, global: boolean | undefined): string {
  if (prefix === 'signin') return 'signin.aws.amazon.com';
  return global ? `${prefix}.amazonaws.com` : `${prefix}.${region}.amazonaws.com`;
}

export function makeRecord(def: ActionDef, spec: CallSpec): Timed {
  const { rng, acct } = spec;
  const region = def.global ? GLOBAL_REGION : spec.region;
  const style = def.requestId ?? (def.source === 's3.amazonaws.com' ? 's3' : 'uuid');
  const requestId = style === 's3' ? upperAlnum(rng, 16) : style === 'uuid' ? uuid(rng) : '';
  const ctx: Ctx = {
    rng,
    time: spec.time,
    acct,
    region,
    res: acct.regions[region],
    identity: spec.identity,
    requestId,
    attrs: spec.attrs ?? NO_ATTRS,
    session: spec.session,
  };
  let body = def.build(ctx);
  if (spec.body) body = { ...body, ...spec.body };

  let error: CallError | undefined;
  if (typeof spec.error === 'string') {
    if (spec.error === 'denied') error = deniedError(def, ctx, body.resources?.[0]?.ARN);
    else if (spec.error === 'throttle') error = throttleError(def);
    else error = notFoundError(def, ctx);
  } else error = spec.error;

  const prefix = servicePrefix(def.source);
  let ip = spec.ip;
  let vpce: string | undefined;
  if (spec.vpce && (prefix === 's3' || prefix === 'kms')) {
    vpce = prefix === 's3' ? ctx.res.s3Endpoint : ctx.res.kmsEndpoint;
    ip = spec.attrs?.instance?.privateIp ?? `${acct.cidr}.${rng.range(0, 31)}.${rng.range(4, 250)}`;
  }
  const service = isServiceAddress(ip);
  // S3 writes the agent in brackets, CloudTrail's own quirk for that service.
  const ua = prefix === 's3' && !isServiceAddress(spec.ua) ? `[${spec.ua}]` : spec.ua;

  return {
    t: spec.time,
    r: {
      eventVersion: def.version,
      userIdentity: spec.identity,
      eventTime: isoSeconds(spec.time),
      eventSource: def.source,
      eventName: def.name,
      awsRegion: region,
      sourceIPAddress: ip,
      userAgent: ua,
      errorCode: error?.code,
      errorMessage: error?.message || undefined,
      requestParameters: body.requestParameters,
      responseElements: error ? null : (body.responseElements ?? null),
      additionalEventData: body.additionalEventData,
      requestID: requestId || undefined,
      eventID: uuid(rng),
      readOnly: def.readOnly,
      resources: body.resources,
      eventType: def.eventType ?? 'AwsApiCall',
      managementEvent: !def.data,
      recipientAccountId: acct.account.id,
      sharedEventID: spec.sharedEventID,
      vpcEndpointId: vpce,
      vpcEndpointAccountId: vpce ? acct.account.id : undefined,
      serviceEventDetails: body.serviceEventDetails,
      eventCategory: def.data ? 'Data' : 'Management',
      tlsDetails: service ? undefined : tls(body.host ?? defaultHost(prefix, region, def.global), spec.tls12 ?? false),
      sessionCredentialFromConsole: spec.console ? 'true' : undefined,
    },
  };
}
