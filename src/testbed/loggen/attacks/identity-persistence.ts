// Persistence in identity: in the root user's console session the attacker creates an
// access key for root, then with that key adds a user with a console password, a role
// that trusts the attacker's own account, opens an existing role to anyone, adds an OIDC
// provider they control and an Identity Center permission set with AdministratorAccess
// assigned to a user of their choosing.
import { api, type Ctx } from '../action';
import { newSessionKey, root } from '../identities';
import { awsId, hex } from '../ids';
import { AGENTS, ATTACKER_ACCOUNT, ATTACKER_IPS } from '../network';
import { accountByName } from '../org';
import { javaDate, MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';

const IAM = 'iam.amazonaws.com';
const SSO = 'sso.amazonaws.com';
const G = { global: true, version: '1.08' } as const;
const NEW_USER = 'aws-support-sync';
const NEW_ROLE = 'vendor-audit-access';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-6804a1c2e3b7d915';
const PERMISSION_SET = `${INSTANCE.replace('instance/', 'permissionSet/')}/ps-3c9e71f4b2a8d605`;

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ATTACKER_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
});

const rootKey = (newKey: string) =>
  api(IAM, 'CreateAccessKey', G, (c) => ({
    requestParameters: null,
    responseElements: { accessKey: { accessKeyId: newKey, status: 'Active', createDate: javaDate(c.time) } },
  }));
const CREATE_USER = api(IAM, 'CreateUser', G, (c) => ({
  requestParameters: { userName: NEW_USER },
  responseElements: {
    user: {
      path: '/',
      userName: NEW_USER,
      userId: awsId(c.rng, 'AIDA'),
      arn: `arn:aws:iam::${c.acct.account.id}:user/${NEW_USER}`,
      createDate: javaDate(c.time),
    },
  },
}));
const CREATE_LOGIN = api(IAM, 'CreateLoginProfile', G, (c) => ({
  requestParameters: { userName: NEW_USER, passwordResetRequired: false },
  responseElements: { loginProfile: { userName: NEW_USER, createDate: javaDate(c.time), passwordResetRequired: false } },
}));
const CREATE_ROLE = api(IAM, 'CreateRole', G, (c) => ({
  requestParameters: { roleName: NEW_ROLE, assumeRolePolicyDocument: trust, maxSessionDuration: 43200 },
  responseElements: {
    role: {
      path: '/',
      roleName: NEW_ROLE,
      roleId: awsId(c.rng, 'AROA'),
      arn: `arn:aws:iam::${c.acct.account.id}:role/${NEW_ROLE}`,
      createDate: javaDate(c.time),
      assumeRolePolicyDocument: encodeURIComponent(trust),
      maxSessionDuration: 43200,
    },
  },
}));
// An existing role opened to every AWS account: no condition, any principal.
const TRUST_ANYONE = api(IAM, 'UpdateAssumeRolePolicy', G, () => ({
  requestParameters: {
    roleName: 'SecurityAuditRole',
    policyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
    }),
  },
}));
const OIDC_URL = 'https://auth.vendor-sync.example';
const CREATE_OIDC = api(IAM, 'CreateOpenIDConnectProvider', G, (c) => ({
  requestParameters: { url: OIDC_URL, clientIDList: ['sts.amazonaws.com'], thumbprintList: [hex(c.rng, 40)] },
  responseElements: { openIDConnectProviderArn: `arn:aws:iam::${c.acct.account.id}:oidc-provider/auth.vendor-sync.example` },
}));
const ssoCall = (name: string, build: (c: Ctx) => { requestParameters: unknown; responseElements?: unknown }) =>
  api(SSO, name, { version: '1.08' }, build);
const CREATE_PERMISSION_SET = ssoCall('CreatePermissionSet', (c) => ({
  requestParameters: { instanceArn: INSTANCE, name: 'SupportSync', description: 'Vendor support sync', sessionDuration: 'PT12H' },
  responseElements: {
    permissionSet: {
      name: 'SupportSync',
      permissionSetArn: PERMISSION_SET,
      description: 'Vendor support sync',
      createdDate: javaDate(c.time),
      sessionDuration: 'PT12H',
    },
  },
}));
const ATTACH_ADMIN = ssoCall('AttachManagedPolicyToPermissionSet', () => ({
  requestParameters: {
    instanceArn: INSTANCE,
    permissionSetArn: PERMISSION_SET,
    managedPolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
  },
  responseElements: null,
}));
const ASSIGN = ssoCall('CreateAccountAssignment', (c) => ({
  requestParameters: {
    instanceArn: INSTANCE,
    targetId: c.acct.account.id,
    targetType: 'AWS_ACCOUNT',
    permissionSetArn: PERMISSION_SET,
    principalType: 'USER',
    principalId: '93671c2a-40e1-7055-8b3f-5d2e1c9a0b47',
  },
  responseElements: {
    accountAssignmentCreationStatus: {
      status: 'IN_PROGRESS',
      requestId: hex(c.rng, 8) + '-' + hex(c.rng, 4) + '-' + hex(c.rng, 4) + '-' + hex(c.rng, 4) + '-' + hex(c.rng, 12),
      targetId: c.acct.account.id,
      targetType: 'AWS_ACCOUNT',
      permissionSetArn: PERMISSION_SET,
      principalType: 'USER',
      principalId: '93671c2a-40e1-7055-8b3f-5d2e1c9a0b47',
    },
  },
}));

export const identityPersistence: Attack = {
  name: 'identity-persistence',
  description:
    'Root of the security account creates itself an access key in the console, then with it a user with a console password, a role trusting an outside account, SecurityAuditRole opened to any account, an OIDC provider and an Identity Center permission set with AdministratorAccess, from an unknown address',
  duration: 15 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'security');
    const ip = ATTACKER_IPS[0];
    const clock = new Clock(t0, rng);
    // The console session of a root user who signed in with MFA: MFA does not make it ordinary.
    const consoleRoot = root(acct, newSessionKey(rng), t0 - 3 * MINUTE, true);
    const inConsole = caller({ rng, acct, identity: consoleRoot, ip, ua: 'AWS Internal', console: true, clock });
    const newKey = awsId(rng, 'AKIA');
    inConsole.call(rootKey(newKey), 'us-east-1');
    clock.after(60, 180);
    const withKey = caller({ rng, acct, identity: { ...root(acct), accessKeyId: newKey }, ip, ua: AGENTS.kali, clock });
    withKey.call(CREATE_USER, 'us-east-1');
    withKey.call(CREATE_LOGIN, 'us-east-1', {}, [3, 10]);
    withKey.call(CREATE_ROLE, 'us-east-1', {}, [10, 40]);
    withKey.call(TRUST_ANYONE, 'us-east-1', {}, [5, 20]);
    withKey.call(CREATE_OIDC, 'us-east-1', {}, [10, 40]);
    withKey.call(CREATE_PERMISSION_SET, 'eu-west-1', {}, [10, 40]);
    withKey.call(ATTACH_ADMIN, 'eu-west-1', {}, [3, 10]);
    withKey.call(ASSIGN, 'eu-west-1', {}, [3, 10]);
    return {
      records: [...inConsole.records, ...withKey.records],
      account: acct.account.id,
      principal: consoleRoot.arn!,
      sourceIPAddress: ip,
      details: { rootAccessKeyId: newKey, newUser: NEW_USER, newRole: NEW_ROLE, foreignAccount: ATTACKER_ACCOUNT },
    };
  },
};
