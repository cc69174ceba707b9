// Privilege escalation and persistence: credentials stolen from staging's ECS task role,
// used from outside AWS, create a user and attach AdministratorAccess to it and to the
// task role itself.
import { api } from '../action';
import { assumedRole, newSessionKey } from '../identities';
import { awsId, hex } from '../ids';
import { AGENTS, ATTACKER_IPS } from '../network';
import { accountByName, role } from '../org';
import { action } from '../services/index';
import { javaDate, MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';

export const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';
const NEW_USER = 'svc-maintenance';

const CREATE_USER = api('iam.amazonaws.com', 'CreateUser', { global: true, version: '1.08' }, (c) => ({
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
const ATTACH_USER_POLICY = api('iam.amazonaws.com', 'AttachUserPolicy', { global: true, version: '1.08' }, () => ({
  requestParameters: { userName: NEW_USER, policyArn: ADMIN_POLICY },
}));

export const iamAdminPolicyAttach: Attack = {
  name: 'iam-admin-policy-attach',
  description:
    'AttachUserPolicy and AttachRolePolicy of AdministratorAccess (new user svc-maintenance, role api-task-role) with staging api-task-role credentials used from an unknown address',
  duration: 6 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'staging');
    const taskRole = role(acct, 'api-task-role');
    const identity = assumedRole(acct, taskRole, hex(rng, 32), newSessionKey(rng), t0 - 35 * MINUTE);
    const ip = ATTACKER_IPS[0];
    const { call, records } = caller({ rng, acct, identity, ip, ua: AGENTS.kali, clock: new Clock(t0, rng) });
    call(action('sts:GetCallerIdentity'), 'us-east-1');
    call(CREATE_USER, 'us-east-1', {}, [10, 40]);
    call(ATTACH_USER_POLICY, 'us-east-1', {}, [2, 10]);
    call(
      action('iam:AttachRolePolicy'),
      'us-east-1',
      { body: { requestParameters: { roleName: taskRole.name, policyArn: ADMIN_POLICY } } },
      [5, 30],
    );
    return { records, account: acct.account.id, principal: identity.arn!, sourceIPAddress: ip, details: { newUser: NEW_USER } };
  },
};
