// STS (global, logged in us-east-1). AssumeRole and friends hand out the temporary
// ASIA keys that later records carry, so their responses name the session the
// generator then uses: an investigator can pivot from the key back to its origin.
import { api, type Ctx } from '../action';
import type { Session } from '../identities';
import { sessionToken } from '../ids';
import { javaDate } from '../time';

const S = 'sts.amazonaws.com';
const G = { global: true, version: '1.08' } as const;

function credentials(c: Ctx, s: Session) {
  return { accessKeyId: s.key, sessionToken: sessionToken(c.rng), expiration: javaDate(s.expires) };
}

function sessionOf(c: Ctx): Session {
  if (!c.session) throw new Error('STS actions that mint credentials need ctx.session');
  return c.session;
}

/** The role and session name behind an AssumedRole identity. */
function roleParts(s: Session) {
  const issuer = s.identity.sessionContext!.sessionIssuer!;
  const principalId = s.identity.principalId!;
  return { issuer, principalId, sessionName: principalId.slice(principalId.indexOf(':') + 1) };
}

export const STS = [
  api(S, 'GetCallerIdentity', { ...G, readOnly: true }, () => ({ requestParameters: null })),
  api(S, 'AssumeRole', { ...G, readOnly: true }, (c) => {
    const s = sessionOf(c);
    const { issuer, principalId, sessionName } = roleParts(s);
    return {
      requestParameters: { roleArn: issuer.arn, roleSessionName: sessionName, durationSeconds: Math.round((s.expires - s.created) / 1000) },
      responseElements: {
        credentials: credentials(c, s),
        assumedRoleUser: { assumedRoleId: principalId, arn: s.identity.arn },
      },
      resources: [{ accountId: issuer.accountId, type: 'AWS::IAM::Role', ARN: issuer.arn }],
    };
  }),
  api(S, 'AssumeRoleWithWebIdentity', { ...G, readOnly: true }, (c) => {
    const s = sessionOf(c);
    const { issuer, principalId, sessionName } = roleParts(s);
    return {
      requestParameters: { roleArn: issuer.arn, roleSessionName: sessionName, durationSeconds: 3600 },
      responseElements: {
        credentials: credentials(c, s),
        subjectFromWebIdentityToken: c.identity.userName,
        assumedRoleUser: { assumedRoleId: principalId, arn: s.identity.arn },
        provider: c.identity.identityProvider,
        audience: 'sts.amazonaws.com',
      },
      resources: [{ accountId: issuer.accountId, type: 'AWS::IAM::Role', ARN: issuer.arn }],
    };
  }),
  api(S, 'GetFederationToken', { ...G, readOnly: false }, (c) => {
    const s = sessionOf(c);
    const name = s.identity.arn!.slice(s.identity.arn!.lastIndexOf('/') + 1);
    return {
      requestParameters: { name, durationSeconds: 3600, policyArns: [{ arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }] },
      responseElements: {
        credentials: credentials(c, s),
        federatedUser: { arn: s.identity.arn, federatedUserId: s.identity.principalId },
        packedPolicySize: 6,
      },
    };
  }),
  api(S, 'GetSessionToken', { ...G, readOnly: true }, (c) => {
    const s = sessionOf(c);
    return { requestParameters: { durationSeconds: 43200 }, responseElements: { credentials: credentials(c, s) } };
  }),
];
