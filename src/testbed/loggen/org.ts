// The fictitious organisation whose trail is generated: three accounts, three regions,
// and the resources its people and workloads touch. It is built from a fixed seed, not
// the trail's seed, so account ids, user names, keys and bucket names stay the same
// across seeds: runbooks, tests and the demo can name them.
import { awsId, ec2Id, hex, mixedAlnum, uuid } from './ids';
import { Rng } from './prng';
import { REGIONS, type Region } from './types';

export const COMPANY_DOMAIN = 'kestrel.example';

export interface Account {
  id: string;
  name: 'prod' | 'staging' | 'security';
  alias: string;
}

export const ACCOUNTS: readonly Account[] = [
  { id: '482193657204', name: 'prod', alias: 'kestrel-prod' },
  { id: '730519846231', name: 'staging', alias: 'kestrel-staging' },
  { id: '159847362058', name: 'security', alias: 'kestrel-security' },
];

export interface Bucket {
  name: string;
  region: Region;
  purpose: 'assets' | 'uploads' | 'data-lake' | 'backups' | 'artifacts' | 'partner-exchange' | 'cloudtrail-logs';
}

export interface Instance {
  id: string;
  type: string;
  privateIp: string;
  az: string;
}

export interface KmsKey {
  id: string;
  arn: string;
  alias: string;
}

export interface Secret {
  name: string;
  arn: string;
}

/** What exists in one account and region. */
export interface RegionalResources {
  region: Region;
  vpcId: string;
  subnets: string[];
  securityGroups: { id: string; name: string }[];
  instances: Instance[];
  volumes: string[];
  snapshots: string[];
  images: string[];
  buckets: Bucket[];
  keys: KmsKey[];
  functions: string[];
  secrets: Secret[];
  parameters: string[];
  logGroups: string[];
  tables: string[];
  repositories: string[];
  cluster: string;
  services: string[];
  natIps: string[];
  s3Endpoint: string;
  kmsEndpoint: string;
}

export interface IamUser {
  name: string;
  id: string; // AIDA…
  accessKeyId: string; // its long-term AKIA key
}

export interface IamRole {
  name: string;
  id: string; // AROA…
  path: string;
}

export interface AccountResources {
  account: Account;
  cidr: string; // the VPCs' private range, e.g. 10.20
  users: IamUser[];
  roles: IamRole[];
  trails: { name: string; arn: string; homeRegion: Region }[];
  regions: Record<Region, RegionalResources>;
}

export interface Org {
  accounts: AccountResources[];
  byId: Map<string, AccountResources>;
}

/** Which regions hold workloads, per account: not every account runs everywhere. */
const FOOTPRINT: Record<Account['name'], Record<Region, number>> = {
  prod: { 'us-east-1': 6, 'eu-west-1': 10, 'ap-southeast-2': 3 },
  staging: { 'us-east-1': 2, 'eu-west-1': 5, 'ap-southeast-2': 1 },
  security: { 'us-east-1': 1, 'eu-west-1': 2, 'ap-southeast-2': 1 },
};

const SHORT: Record<Region, string> = { 'us-east-1': 'use1', 'eu-west-1': 'euw1', 'ap-southeast-2': 'apse2' };

/** An availability zone's id as AWS names it (us-east-1b → use1-az2). */
export function azId(az: string): string {
  const region = az.slice(0, -1) as Region;
  return `${SHORT[region]}-az${'abc'.indexOf(az.slice(-1)) + 1}`;
}
const CIDR: Record<Account['name'], string> = { prod: '10.20', staging: '10.30', security: '10.40' };
const INSTANCE_TYPES = ['t3.medium', 't3.large', 'm6i.large', 'm6i.xlarge', 'c6g.large', 'r6i.large'];

/** Public NAT gateway addresses, one to three per VPC, from each region's AWS ranges. */
const NAT_PREFIX: Record<Region, string[]> = {
  'us-east-1': ['3.209', '54.156', '44.195'],
  'eu-west-1': ['52.48', '34.250', '54.76'],
  'ap-southeast-2': ['13.54', '3.105', '54.253'],
};

export const USER_NAMES: Record<Account['name'], string[]> = {
  // Human IAM users exist only in the security account (console + MFA); workloads
  // that cannot use roles keep long-term keys.
  security: ['ines.moreau', 'tomas.lindqvist', 'ci-deployer'],
  prod: ['backup-agent', 'metrics-exporter', 'partner-broker', 'smtp-relay'],
  staging: ['legacy-reporting', 'load-tester'],
};

const ROLE_NAMES: Record<Account['name'], [string, string][]> = {
  prod: [
    ['web-app-instance-role', '/'],
    ['orders-processor-role', '/service-role/'],
    ['thumbnailer-role', '/service-role/'],
    ['api-task-role', '/'],
    ['api-task-execution-role', '/'],
    ['DeployRole', '/'],
    ['TerraformDeployRole', '/'],
    ['OrganizationAccountAccessRole', '/'],
    ['AWSServiceRoleForConfig', '/aws-service-role/config.amazonaws.com/'],
    ['AWSReservedSSO_AdministratorAccess_7c1e5a90d24b3f68', '/aws-reserved/sso.amazonaws.com/eu-west-1/'],
    ['AWSReservedSSO_PowerUserAccess_3b9d2e47a1f0c865', '/aws-reserved/sso.amazonaws.com/eu-west-1/'],
    ['AWSReservedSSO_ReadOnlyAccess_e25f8c13b7a04d96', '/aws-reserved/sso.amazonaws.com/eu-west-1/'],
  ],
  staging: [
    ['web-app-instance-role', '/'],
    ['orders-processor-role', '/service-role/'],
    ['api-task-role', '/'],
    ['DeployRole', '/'],
    ['TerraformDeployRole', '/'],
    ['OrganizationAccountAccessRole', '/'],
    ['AWSServiceRoleForConfig', '/aws-service-role/config.amazonaws.com/'],
    ['AWSReservedSSO_AdministratorAccess_91a4c7e2f05b3d18', '/aws-reserved/sso.amazonaws.com/eu-west-1/'],
    ['AWSReservedSSO_PowerUserAccess_5f0b8d3ce9a27146', '/aws-reserved/sso.amazonaws.com/eu-west-1/'],
    ['AWSReservedSSO_ReadOnlyAccess_0d6e4b9a8c3f2715', '/aws-reserved/sso.amazonaws.com/eu-west-1/'],
  ],
  security: [
    ['log-archiver-role', '/service-role/'],
    ['findings-forwarder-role', '/service-role/'],
    ['SecurityAuditRole', '/'],
    ['TerraformDeployRole', '/'],
    ['AWSServiceRoleForConfig', '/aws-service-role/config.amazonaws.com/'],
    ['AWSReservedSSO_AdministratorAccess_b8f3a5d1c0e94267', '/aws-reserved/sso.amazonaws.com/eu-west-1/'],
    ['AWSReservedSSO_ReadOnlyAccess_4a7c2e9f1b6d0538', '/aws-reserved/sso.amazonaws.com/eu-west-1/'],
  ],
};

function buildRegion(rng: Rng, acct: Account, region: Region, cidr: string): RegionalResources {
  const size = FOOTPRINT[acct.name][region];
  const azs = ['a', 'b', 'c'].map((z) => region + z);
  const short = SHORT[region];
  const instances: Instance[] = Array.from({ length: size }, () => ({
    id: ec2Id(rng, 'i'),
    type: rng.pick(INSTANCE_TYPES),
    privateIp: `${cidr}.${rng.range(0, 31)}.${rng.range(4, 250)}`,
    az: rng.pick(azs),
  }));
  const buckets: Bucket[] = [];
  const bucket = (purpose: Bucket['purpose'], name = `kestrel-${acct.name}-${purpose}-${short}`) => buckets.push({ name, region, purpose });
  if (acct.name === 'security') {
    if (region === 'us-east-1') bucket('cloudtrail-logs', 'kestrel-cloudtrail-logs');
    bucket('backups');
  } else {
    bucket('assets');
    bucket('uploads');
    bucket('backups');
    if (region === 'eu-west-1') {
      bucket('artifacts');
      if (acct.name === 'prod') {
        bucket('data-lake', 'kestrel-data-lake');
        bucket('partner-exchange', 'kestrel-partner-exchange');
      }
    }
  }
  const keyArn = (id: string) => `arn:aws:kms:${region}:${acct.id}:key/${id}`;
  const keys: KmsKey[] = ['app-data', 'secrets', 's3-default', 'ebs'].map((alias) => {
    const id = uuid(rng);
    return { id, arn: keyArn(id), alias: `alias/${alias}` };
  });
  const fnNames =
    acct.name === 'security'
      ? ['log-archiver', 'findings-forwarder']
      : ['orders-processor', 'thumbnailer', 'nightly-report', 'webhook-dispatcher'];
  const secretNames =
    acct.name === 'security'
      ? ['siem/api-token', 'pagerduty/integration-key']
      : [`${acct.name}/db/orders`, `${acct.name}/stripe/api-key`, `${acct.name}/smtp/credentials`];
  return {
    region,
    vpcId: ec2Id(rng, 'vpc'),
    subnets: Array.from({ length: 6 }, () => ec2Id(rng, 'subnet')),
    securityGroups: ['default', 'web-alb', 'web-app', 'api-tasks', 'bastion', 'rds-orders'].map((name) => ({
      id: ec2Id(rng, 'sg'),
      name,
    })),
    instances,
    volumes: instances.map(() => ec2Id(rng, 'vol')),
    snapshots: Array.from({ length: 5 }, () => ec2Id(rng, 'snap')),
    images: Array.from({ length: 3 }, () => ec2Id(rng, 'ami')),
    buckets,
    keys,
    functions: fnNames,
    secrets: secretNames.map((name) => ({
      name,
      arn: `arn:aws:secretsmanager:${region}:${acct.id}:secret:${name}-${mixedAlnum(rng, 6)}`,
    })),
    parameters: ['/app/config/feature-flags', '/app/config/db-host', '/app/secrets/jwt-signing-key', '/infra/ami/latest'],
    logGroups: fnNames.map((f) => `/aws/lambda/${f}`).concat(['/ecs/api', '/aws/ssm/session-logs']),
    tables: acct.name === 'security' ? ['findings'] : ['orders', 'customers', 'sessions'],
    repositories: ['api', 'web', 'worker'],
    cluster: `${acct.name}-cluster`,
    services: ['api', 'worker'],
    natIps: Array.from({ length: rng.range(1, 3) }, () => `${rng.pick(NAT_PREFIX[region])}.${rng.range(1, 254)}.${rng.range(1, 254)}`),
    s3Endpoint: `vpce-0${hex(rng, 16)}`,
    kmsEndpoint: `vpce-0${hex(rng, 16)}`,
  };
}

function buildAccount(rng: Rng, account: Account): AccountResources {
  const cidr = CIDR[account.name];
  const regions = {} as Record<Region, RegionalResources>;
  for (const region of REGIONS) regions[region] = buildRegion(rng, account, region, cidr);
  return {
    account,
    cidr,
    users: USER_NAMES[account.name].map((name) => ({ name, id: awsId(rng, 'AIDA'), accessKeyId: awsId(rng, 'AKIA') })),
    roles: ROLE_NAMES[account.name].map(([name, path]) => ({ name, path, id: awsId(rng, 'AROA') })),
    trails: ['management-trail', 'security-audit-trail'].map((name) => ({
      name,
      homeRegion: 'eu-west-1' as Region,
      arn: `arn:aws:cloudtrail:eu-west-1:${account.id}:trail/${name}`,
    })),
    regions,
  };
}

let cached: Org | undefined;

/** The organisation (immutable; built once). */
export function organisation(): Org {
  if (!cached) {
    const rng = new Rng(0x6b657374); // fixed: the org does not depend on the trail's seed
    const accounts = ACCOUNTS.map((a) => buildAccount(rng, a));
    cached = { accounts, byId: new Map(accounts.map((a) => [a.account.id, a])) };
  }
  return cached;
}

export function accountByName(org: Org, name: Account['name']): AccountResources {
  return org.accounts.find((a) => a.account.name === name)!;
}

export function user(acct: AccountResources, name: string): IamUser {
  const u = acct.users.find((x) => x.name === name);
  if (!u) throw new Error(`no IAM user ${name} in ${acct.account.alias}`);
  return u;
}

export function role(acct: AccountResources, name: string): IamRole {
  const r = acct.roles.find((x) => x.name === name);
  if (!r) throw new Error(`no IAM role ${name} in ${acct.account.alias}`);
  return r;
}

export const roleArn = (acct: AccountResources, r: IamRole): string => `arn:aws:iam::${acct.account.id}:role${r.path}${r.name}`;
export const userArn = (acct: AccountResources, u: IamUser): string => `arn:aws:iam::${acct.account.id}:user/${u.name}`;
