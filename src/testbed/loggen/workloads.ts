// The organisation's workloads: instances, Lambda functions and ECS tasks with their
// roles, CI deployments and Terraform, AWS Config, machine users with long-term keys,
// a federated partner, and AWS services acting on their own.
import type { ActorAttrs, ActionDef } from './action';
import { EVERY_REGION, HUMAN_REGIONS, type Actor, type BurstKind } from './actor';
import { awsService, federatedUser, iamUserKey, newSessionKey, webIdentityUser } from './identities';
import { hex } from './ids';
import { AGENTS, ciRunnerIp, cliAgent, lambdaIp } from './network';
import {
  API_TASK,
  BACKUP,
  BULK_UPLOAD,
  CI_DEPLOYER,
  CONFIG,
  DEPLOY,
  FINDINGS,
  LEGACY_REPORTING,
  LOG_ARCHIVER,
  METRICS,
  mix,
  ORDERS_LAMBDA,
  PARTNER,
  TASK_EXECUTION,
  TERRAFORM_APPLY,
  TERRAFORM_READS,
  THUMBNAILER,
  WEB_APP,
  type Mix,
} from './mixes';
import { accountByName, role, user, type AccountResources, type Org } from './org';
import { Weighted, type Rng } from './prng';
import { federationToken, roleSessionMinter, serviceAssumes, userAssumes, webIdentityAssumes } from './sessions';
import { HOUR } from './time';
import { REGIONS, type Region } from './types';

const natIp = (acct: AccountResources) => (rng: Rng, region: Region) => rng.pick(acct.regions[region].natIps);

function sdkAgent(app: string, ssm = false) {
  return (_rng: Rng, def: ActionDef) => (ssm && def.source === 'ssm.amazonaws.com' ? AGENTS.ssmAgent : app);
}

/** A Lambda function of an account: its role's sessions, minted by the Lambda service. */
function lambdaActor(
  acct: AccountResources,
  fn: string,
  roleName: string,
  region: Region,
  weight: number,
  actions: Mix,
  ua: string,
  purposes: ActorAttrs['bucketPurposes'],
): Actor {
  return {
    id: `${acct.account.name}/${region}/lambda/${fn}`,
    acct,
    klass: 'machine',
    weight,
    regions: region,
    actions: mix(actions),
    attrs: { functionName: fn, bucketPurposes: purposes },
    ip: (rng, r) => lambdaIp(rng, r),
    ua: () => ua,
    vpce: 0,
    tls12: false,
    console: false,
    sessions: {
      ttl: HOUR,
      mint: roleSessionMinter(acct, role(acct, roleName), () => fn),
      renew: serviceAssumes('lambda.amazonaws.com'),
    },
  };
}

export function workloads(org: Org): { actors: Actor[]; bursts: BurstKind[] } {
  const actors: Actor[] = [];
  const bursts: BurstKind[] = [];
  const sec = accountByName(org, 'security');
  const ciDeployer = user(sec, 'ci-deployer');

  for (const acct of org.accounts) {
    const name = acct.account.name;
    const nat = natIp(acct);

    if (name !== 'security') {
      // One actor per instance: instance-profile sessions are per instance.
      const webRole = role(acct, 'web-app-instance-role');
      for (const region of REGIONS) {
        for (const instance of acct.regions[region].instances) {
          actors.push({
            id: `${name}/${instance.id}`,
            acct,
            klass: 'machine',
            weight: name === 'prod' ? 1.6 : 0.8,
            regions: region,
            actions: mix(WEB_APP),
            attrs: { instance, bucketPurposes: ['assets', 'uploads'] },
            ip: nat,
            ua: sdkAgent(AGENTS.javaApp, true),
            vpce: 0.6,
            tls12: false,
            console: false,
            sessions: {
              ttl: HOUR,
              mint: roleSessionMinter(acct, webRole, () => instance.id, { ec2: true }),
              renew: serviceAssumes('ec2.amazonaws.com'),
            },
          });
        }
      }

      const orders = lambdaActor(
        acct,
        'orders-processor',
        'orders-processor-role',
        'eu-west-1',
        name === 'prod' ? 6 : 2,
        ORDERS_LAMBDA,
        AGENTS.boto3Lambda,
        ['uploads', 'data-lake'],
      );
      actors.push(orders);
      if (name === 'prod') {
        actors.push(
          lambdaActor(acct, 'orders-processor', 'orders-processor-role', 'us-east-1', 3, ORDERS_LAMBDA, AGENTS.boto3Lambda, ['uploads']),
        );
        const thumbs = lambdaActor(acct, 'thumbnailer', 'thumbnailer-role', 'eu-west-1', 4, THUMBNAILER, AGENTS.nodeLambda, [
          'uploads',
          'assets',
        ]);
        actors.push(thumbs);
        bursts.push({ name: 'bulk-upload', actor: thumbs, actions: mix(BULK_UPLOAD), throttle: 0.03 });
      }

      // ECS tasks: the task id is the session name and changes as tasks are replaced.
      const taskRole = role(acct, 'api-task-role');
      for (const region of (name === 'prod' ? ['eu-west-1', 'us-east-1'] : ['eu-west-1']) as Region[]) {
        actors.push({
          id: `${name}/${region}/ecs/api`,
          acct,
          klass: 'machine',
          weight: name === 'prod' ? 5 : 1.5,
          regions: region,
          actions: mix(API_TASK),
          attrs: { bucketPurposes: ['uploads', 'assets'] },
          ip: nat,
          ua: () => AGENTS.nodeApp,
          vpce: 0.5,
          tls12: false,
          console: false,
          sessions: {
            ttl: HOUR,
            mint: roleSessionMinter(acct, taskRole, (rng) => hex(rng, 32)),
            renew: serviceAssumes('ecs-tasks.amazonaws.com'),
          },
        });
        if (acct.roles.some((r) => r.name === 'api-task-execution-role')) {
          actors.push({
            id: `${name}/${region}/ecs/execution`,
            acct,
            klass: 'machine',
            weight: 0.8,
            regions: region,
            actions: mix(TASK_EXECUTION),
            attrs: {},
            ip: nat,
            ua: () => 'Go-http-client/1.1 ecs-agent/1.88.0',
            vpce: 0,
            tls12: false,
            console: false,
            sessions: {
              ttl: HOUR,
              mint: roleSessionMinter(acct, role(acct, 'api-task-execution-role'), (rng) => hex(rng, 32)),
              renew: serviceAssumes('ecs-tasks.amazonaws.com'),
            },
          });
        }
      }

      // Deployments from CI: the pipeline's IAM user (security account) assumes DeployRole.
      actors.push({
        id: `${name}/deploy`,
        acct,
        klass: 'machine',
        weight: 0.6,
        regions: 'eu-west-1',
        actions: mix(DEPLOY),
        attrs: { bucketPurposes: ['artifacts'] },
        ip: ciRunnerIp,
        ua: () => AGENTS.boto3Lambda.replace('exec-env/AWS_Lambda_python3.12 ', ''),
        vpce: 0,
        tls12: false,
        console: false,
        sessions: {
          ttl: HOUR,
          mint: roleSessionMinter(acct, role(acct, 'DeployRole'), (rng) => `gha-deploy-${rng.range(10_000_000, 99_999_999)}`, {
            ip: ciRunnerIp,
          }),
          renew: userAssumes(sec, ciDeployer, ciRunnerIp, cliAgent('2.22.8', 'linux#6.8.0-1017-azure md/arch#x86_64', 'sts.assume-role')),
        },
      });
    }

    // Terraform from GitHub Actions, through OIDC: quiet most of the time, then a plan.
    const subject = `repo:kestrel/infrastructure:environment:${name}`;
    const tf: Actor = {
      id: `${name}/terraform`,
      acct,
      klass: 'machine',
      weight: 0.3,
      regions: HUMAN_REGIONS,
      actions: mix(TERRAFORM_APPLY),
      attrs: {},
      ip: ciRunnerIp,
      ua: () => AGENTS.terraform,
      vpce: 0,
      tls12: false,
      console: false,
      sessions: {
        ttl: HOUR,
        mint: roleSessionMinter(acct, role(acct, 'TerraformDeployRole'), () => 'GitHubActions', { ip: ciRunnerIp }),
        renew: webIdentityAssumes(webIdentityUser(acct, subject), AGENTS.terraform),
      },
    };
    actors.push(tf);
    bursts.push({ name: 'terraform-plan', actor: tf, actions: mix(TERRAFORM_READS), throttle: 0.04 });

    // AWS Config's service-linked role recording resource configurations everywhere.
    actors.push({
      id: `${name}/config`,
      acct,
      klass: 'machine',
      weight: name === 'prod' ? 4 : 2.5,
      regions: EVERY_REGION,
      actions: mix(CONFIG),
      attrs: {},
      ip: () => 'config.amazonaws.com',
      ua: () => 'config.amazonaws.com',
      vpce: 0,
      tls12: false,
      console: false,
      sessions: {
        ttl: HOUR,
        mint: roleSessionMinter(acct, role(acct, 'AWSServiceRoleForConfig'), () => 'AWSConfig-Describe', {
          invokedBy: 'config.amazonaws.com',
        }),
        renew: serviceAssumes('config.amazonaws.com'),
      },
    });
  }

  // Machine users with long-term keys (each one a finding waiting to happen, as in life).
  const prod = accountByName(org, 'prod');
  const staging = accountByName(org, 'staging');
  const keyUser = (
    acct: AccountResources,
    userName: string,
    weight: number,
    actions: Mix,
    ua: string,
    regions: Actor['regions'],
    extra: Partial<Actor> = {},
  ): Actor => ({
    id: `${acct.account.name}/user/${userName}`,
    acct,
    klass: 'machine',
    weight,
    regions,
    actions: mix(actions),
    attrs: {},
    ip: (rng) => rng.pick(acct.regions['eu-west-1'].natIps),
    ua: () => ua,
    vpce: 0,
    tls12: false,
    console: false,
    identity: iamUserKey(acct, user(acct, userName)),
    ...extra,
  });
  actors.push(
    keyUser(
      prod,
      'backup-agent',
      3,
      BACKUP,
      AGENTS.backup,
      new Weighted<Region>([
        ['eu-west-1', 3],
        ['us-east-1', 1],
      ]),
      { attrs: { bucketPurposes: ['backups'] } },
    ),
  );
  actors.push(keyUser(prod, 'metrics-exporter', 5, METRICS, AGENTS.goExporter, EVERY_REGION));
  actors.push(
    keyUser(staging, 'legacy-reporting', 2, LEGACY_REPORTING, AGENTS.legacy, 'eu-west-1', {
      tls12: true,
      attrs: { bucketPurposes: ['uploads', 'backups'] },
    }),
  );
  actors.push(
    keyUser(
      sec,
      'ci-deployer',
      0.5,
      CI_DEPLOYER,
      cliAgent('2.22.8', 'linux#6.8.0-1017-azure md/arch#x86_64', 'sts.get-caller-identity'),
      'eu-west-1',
      {
        ip: ciRunnerIp,
        assumeTargets: [
          { acct: prod, roleName: 'DeployRole' },
          { acct: staging, roleName: 'DeployRole' },
        ],
      },
    ),
  );

  // A partner exchanging files through federation tokens from a broker user.
  const broker = user(prod, 'partner-broker');
  const partnerIp = '198.18.24.7'; // the partner's egress
  actors.push({
    id: 'prod/federated/acme-logistics',
    acct: prod,
    klass: 'machine',
    weight: 1,
    regions: 'eu-west-1',
    actions: mix(PARTNER),
    attrs: { bucketPurposes: ['partner-exchange'] },
    ip: () => partnerIp,
    ua: () => AGENTS.legacy,
    vpce: 0,
    tls12: true,
    console: false,
    sessions: {
      ttl: HOUR,
      mint: (rng, created, ttl) => {
        const key = newSessionKey(rng);
        return { key, created, expires: created + ttl, identity: federatedUser(prod, broker, 'acme-logistics', key, created) };
      },
      renew: federationToken(
        prod,
        broker,
        (rng) => rng.pick(prod.regions['eu-west-1'].natIps),
        AGENTS.backup.replace('app/backup-agent', 'app/partner-broker'),
      ),
    },
  });

  // Security-account workloads.
  actors.push(
    lambdaActor(sec, 'log-archiver', 'log-archiver-role', 'us-east-1', 2, LOG_ARCHIVER, AGENTS.boto3Lambda, ['cloudtrail-logs', 'backups']),
  );
  actors.push(lambdaActor(sec, 'findings-forwarder', 'findings-forwarder-role', 'eu-west-1', 1, FINDINGS, AGENTS.boto3Lambda, undefined));

  // AWS services acting on their own: CloudTrail checking its bucket, KMS rotating keys.
  actors.push({
    id: 'security/service/cloudtrail',
    acct: sec,
    klass: 'machine',
    weight: 0.5,
    regions: 'us-east-1',
    actions: mix([['s3:GetBucketAcl', 1]]),
    attrs: { bucketPurposes: ['cloudtrail-logs'] },
    ip: () => 'cloudtrail.amazonaws.com',
    ua: () => 'cloudtrail.amazonaws.com',
    vpce: 0,
    tls12: false,
    console: false,
    identity: awsService('cloudtrail.amazonaws.com'),
  });
  for (const acct of org.accounts) {
    actors.push({
      id: `${acct.account.name}/service/kms-rotation`,
      acct,
      klass: 'machine',
      weight: 0.01,
      regions: EVERY_REGION,
      actions: mix([['kms:RotateKey', 1]]),
      attrs: {},
      ip: () => 'AWS Internal',
      ua: () => 'AWS Internal',
      vpce: 0,
      tls12: false,
      console: false,
      identity: { type: 'AWSService', accountId: acct.account.id, invokedBy: 'kms.amazonaws.com' },
    });
  }
  return { actors, bursts };
}
