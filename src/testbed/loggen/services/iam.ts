// IAM (global, logged in us-east-1): the console and auditors list and read a lot;
// writes are rare. The clean trail's writes are all benign on purpose: no
// AdministratorAccess attachments, no key creation without MFA (see background.ts).
import { api, type Ctx } from '../action';
import { awsId } from '../ids';
import { javaDate } from '../time';

const S = 'iam.amazonaws.com';
const G = { global: true, version: '1.08' } as const;

const someRole = (c: Ctx) => c.rng.pick(c.acct.roles);
/** Roles customers may change: Identity Center and service-linked roles are AWS-managed. */
const writableRole = (c: Ctx) => c.rng.pick(c.acct.roles.filter((r) => !r.path.startsWith('/aws-')));
const someUser = (c: Ctx) => (c.acct.users.length ? c.rng.pick(c.acct.users) : undefined);
const roleNotFound = (c: Ctx) =>
  [
    'NoSuchEntityException',
    `The role with name ${c.rng.pick(['legacy-etl-role', 'old-jenkins-role', 'test-role'])} cannot be found.`,
  ] as const;

/** Managed policies the organisation attaches in normal work (never AdministratorAccess). */
export const BENIGN_POLICIES = [
  'arn:aws:iam::aws:policy/ReadOnlyAccess',
  'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
  'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
];

export const IAM = [
  api(S, 'ListUsers', G, () => ({ requestParameters: null })),
  api(S, 'ListRoles', G, () => ({ requestParameters: null })),
  api(S, 'ListGroups', G, () => ({ requestParameters: null })),
  api(S, 'ListPolicies', G, () => ({ requestParameters: { scope: 'Local', onlyAttached: false, maxItems: 100 } })),
  api(S, 'ListAccountAliases', G, () => ({ requestParameters: null })),
  api(S, 'GetAccountSummary', G, () => ({ requestParameters: null })),
  api(S, 'GetAccountPasswordPolicy', G, () => ({ requestParameters: null })),
  api(S, 'GetRole', { ...G, notFoundRate: 0.04, notFound: roleNotFound }, (c) => ({ requestParameters: { roleName: someRole(c).name } })),
  api(S, 'ListAttachedRolePolicies', G, (c) => ({ requestParameters: { roleName: someRole(c).name } })),
  api(S, 'ListRolePolicies', G, (c) => ({ requestParameters: { roleName: someRole(c).name } })),
  api(S, 'GetRolePolicy', G, (c) => ({ requestParameters: { roleName: someRole(c).name, policyName: 'inline-access' } })),
  api(S, 'GetPolicy', G, (c) => ({ requestParameters: { policyArn: c.rng.pick(BENIGN_POLICIES) } })),
  api(S, 'GetPolicyVersion', G, (c) => ({
    requestParameters: { policyArn: c.rng.pick(BENIGN_POLICIES), versionId: `v${c.rng.range(1, 9)}` },
  })),
  api(S, 'GetUser', G, (c) => {
    const u = someUser(c);
    return { requestParameters: u ? { userName: u.name } : null };
  }),
  api(S, 'ListAccessKeys', G, (c) => {
    const u = someUser(c);
    return { requestParameters: u ? { userName: u.name } : null };
  }),
  api(S, 'ListMFADevices', G, (c) => {
    const u = someUser(c);
    return { requestParameters: u ? { userName: u.name } : null };
  }),
  // The console's user page asks for the login profile of every user; machine users
  // have none, so this fails often and harmlessly.
  api(
    S,
    'GetLoginProfile',
    {
      ...G,
      notFoundRate: 0.5,
      notFound: (c) => ['NoSuchEntityException', `Login Profile for User ${someUser(c)?.name ?? 'ci-deployer'} cannot be found.`] as const,
    },
    (c) => ({ requestParameters: { userName: someUser(c)?.name ?? 'ci-deployer' } }),
  ),
  api(S, 'GenerateCredentialReport', { ...G, readOnly: true }, () => ({
    requestParameters: null,
    responseElements: { state: 'STARTED', description: 'No report exists. Starting a new report generation task' },
  })),
  api(S, 'GetCredentialReport', G, () => ({ requestParameters: null })),
  api(S, 'TagRole', G, (c) => ({
    requestParameters: { roleName: writableRole(c).name, tags: [{ key: 'Owner', value: 'platform' }] },
  })),
  api(S, 'AttachRolePolicy', G, (c) => {
    const r = writableRole(c);
    return { requestParameters: { roleName: r.name, policyArn: c.rng.pick(BENIGN_POLICIES) } };
  }),
  api(S, 'PutRolePolicy', G, (c) => {
    const r = writableRole(c);
    const bucket = c.rng.pick(c.res.buckets).name;
    return {
      requestParameters: {
        roleName: r.name,
        policyName: 'inline-access',
        policyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${bucket}/*` }],
        }),
      },
    };
  }),
  api(S, 'CreateRole', G, (c) => {
    const name = `app-${c.rng.pick(['reports', 'exports', 'ingest'])}-${c.rng.range(10, 99)}-role`;
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const id = awsId(c.rng, 'AROA');
    return {
      requestParameters: { roleName: name, assumeRolePolicyDocument: trust },
      responseElements: {
        role: {
          path: '/',
          roleName: name,
          roleId: id,
          arn: `arn:aws:iam::${c.acct.account.id}:role/${name}`,
          createDate: javaDate(c.time),
          assumeRolePolicyDocument: encodeURIComponent(trust),
        },
      },
    };
  }),
  // Key rotation: background.ts only lets IAM users in MFA console sessions do it, each for
  // themself (a key made for someone else is what the access-keys runbook reports).
  api(S, 'CreateAccessKey', G, (c) => {
    // Drawn whatever the caller, so the random stream (and every later event) stays as it was.
    const drawn = someUser(c);
    const own = c.identity.type === 'IAMUser' && c.identity.userName ? c.acct.users.find((u) => u.name === c.identity.userName) : undefined;
    const u = own ?? drawn ?? { name: 'ci-deployer', id: '', accessKeyId: '' };
    return {
      requestParameters: { userName: u.name },
      responseElements: {
        accessKey: { accessKeyId: awsId(c.rng, 'AKIA'), status: 'Active', userName: u.name, createDate: javaDate(c.time) },
      },
    };
  }),
  api(S, 'UpdateAccessKey', G, (c) => {
    const u = someUser(c);
    return {
      requestParameters: { userName: u?.name ?? 'ci-deployer', accessKeyId: u?.accessKeyId ?? awsId(c.rng, 'AKIA'), status: 'Inactive' },
    };
  }),
];
