// What each kind of caller does, as weighted action lists. Weights are relative within
// a list; the shares across the trail come from how often each actor acts. No list
// contains an attack action (see background.ts for the guarantees).
import type { ActionDef } from './action';
import { Weighted } from './prng';
import { action } from './services/index';

export type Mix = readonly (readonly [string, number])[];
export const mix = (entries: Mix): Weighted<ActionDef> => new Weighted(entries.map(([k, w]) => [action(k), w] as const));

export const CONSOLE_READS: Mix = [
  ['ec2:DescribeInstances', 10], ['ec2:DescribeInstanceStatus', 3], ['ec2:DescribeSecurityGroups', 3],
  ['ec2:DescribeSecurityGroupRules', 1], ['ec2:DescribeVolumes', 2], ['ec2:DescribeSubnets', 1], ['ec2:DescribeVpcs', 1],
  ['ec2:DescribeAddresses', 1], ['ec2:DescribeImages', 1], ['ec2:DescribeLaunchTemplates', 0.5],
  ['cloudtrail:LookupEvents', 4], ['cloudtrail:GetTrailStatus', 1], ['cloudtrail:DescribeTrails', 1],
  ['iam:ListRoles', 2], ['iam:GetRole', 2], ['iam:ListAttachedRolePolicies', 2], ['iam:ListRolePolicies', 1], ['iam:ListUsers', 1],
  ['iam:GetAccountSummary', 1], ['iam:ListPolicies', 1], ['iam:GetLoginProfile', 1], ['iam:ListAccessKeys', 1],
  ['iam:ListMFADevices', 1], ['iam:ListAccountAliases', 1],
  ['s3:ListBuckets', 2], ['s3:GetBucketPolicy', 1], ['s3:GetBucketAcl', 1], ['s3:GetBucketLocation', 1],
  ['s3:GetBucketVersioning', 1], ['s3:GetBucketEncryption', 1], ['s3:GetBucketPublicAccessBlock', 1],
  ['lambda:ListFunctions20150331', 2], ['lambda:GetFunction20150331v2', 1], ['lambda:GetPolicy20150331v2', 0.5],
  ['logs:DescribeLogGroups', 2], ['logs:FilterLogEvents', 3], ['logs:DescribeLogStreams', 2], ['logs:StartQuery', 1],
  ['monitoring:DescribeAlarms', 3], ['monitoring:ListMetrics', 1], ['rds:DescribeDBInstances', 1], ['rds:DescribeDBClusters', 0.5],
  ['ecs:DescribeServices', 1], ['ecs:ListTasks', 0.5], ['secretsmanager:ListSecrets', 1], ['secretsmanager:DescribeSecret', 0.5],
  ['kms:ListAliases', 1], ['kms:DescribeKey', 0.5], ['ssm:DescribeParameters', 1], ['ssm:DescribeInstanceInformation', 1],
  ['dynamodb:ListTables', 1], ['dynamodb:DescribeTable', 1], ['ecr:DescribeRepositories', 0.5],
];
export const POWER_WRITES: Mix = [
  ['ec2:StartInstances', 0.3], ['ec2:StopInstances', 0.3], ['ec2:RebootInstances', 0.2], ['ec2:CreateTags', 0.5],
  ['ssm:StartSession', 0.5], ['ec2:RunInstances', 0.1], ['monitoring:PutMetricAlarm', 0.1], ['ecs:UpdateService', 0.2],
  ['s3:GetObject', 2], ['s3:PutObject', 0.5], ['s3:ListObjects', 1],
];
export const ADMIN_WRITES: Mix = [
  ['iam:TagRole', 0.1], ['iam:AttachRolePolicy', 0.05], ['iam:PutRolePolicy', 0.05], ['iam:CreateRole', 0.05],
  ['ec2:AuthorizeSecurityGroupIngress', 0.1], ['iam:GenerateCredentialReport', 0.1], ['iam:GetCredentialReport', 0.1],
];
export const CLI_DEV: Mix = [
  ['sts:GetCallerIdentity', 3], ['s3:ListBuckets', 1], ['s3:GetObject', 3], ['s3:PutObject', 1], ['s3:ListObjects', 2],
  ['ec2:DescribeInstances', 3], ['logs:FilterLogEvents', 2], ['ecr:GetAuthorizationToken', 2], ['ssm:GetParameter', 1],
  ['lambda:ListFunctions20150331', 1], ['ecs:DescribeServices', 1], ['dynamodb:DescribeTable', 0.5],
];
export const CLI_POWER: Mix = [...CLI_DEV, ['ssm:StartSession', 0.5], ['ecs:UpdateService', 0.2], ['lambda:UpdateFunctionCode20150331v2', 0.1]];
export const SECURITY_CONSOLE: Mix = [
  ['iam:ListUsers', 3], ['iam:ListAccessKeys', 3], ['iam:GetUser', 2], ['iam:ListMFADevices', 2], ['iam:GetLoginProfile', 2],
  ['iam:GetAccountSummary', 1], ['iam:GenerateCredentialReport', 0.5], ['iam:GetCredentialReport', 0.5],
  ['iam:CreateAccessKey', 0.04], ['iam:UpdateAccessKey', 0.04],
  ['cloudtrail:LookupEvents', 5], ['cloudtrail:GetTrailStatus', 1], ['cloudtrail:DescribeTrails', 1], ['cloudtrail:GetEventSelectors', 0.5],
  ['s3:ListBuckets', 1], ['s3:GetBucketPolicy', 1], ['s3:GetBucketAcl', 1], ['logs:FilterLogEvents', 2],
  ['kms:ListKeys', 0.5], ['kms:DescribeKey', 0.5], ['ec2:DescribeSecurityGroups', 1], ['ec2:DescribeInstances', 1],
];
export const WEB_APP: Mix = [
  ['s3:GetObject', 6], ['s3:PutObject', 2], ['s3:HeadObject', 1], ['kms:Decrypt', 3], ['kms:GenerateDataKey', 1],
  ['ssm:UpdateInstanceInformation', 1.5], ['ssm:ListInstanceAssociations', 0.5], ['ssm:GetParameter', 1],
  ['secretsmanager:GetSecretValue', 1], ['sts:GetCallerIdentity', 0.2], ['logs:CreateLogStream', 0.3],
];
export const ORDERS_LAMBDA: Mix = [
  ['logs:CreateLogStream', 1], ['s3:GetObject', 3], ['s3:PutObject', 2], ['kms:Decrypt', 2], ['kms:GenerateDataKey', 1],
  ['secretsmanager:GetSecretValue', 1], ['ssm:GetParameter', 1],
];
export const THUMBNAILER: Mix = [['s3:GetObject', 3], ['s3:PutObject', 3], ['logs:CreateLogStream', 0.5], ['kms:GenerateDataKey', 0.5]];
export const API_TASK: Mix = [
  ['s3:GetObject', 3], ['s3:PutObject', 1], ['kms:Decrypt', 2], ['secretsmanager:GetSecretValue', 0.5],
  ['ssm:GetParameters', 1], ['sts:GetCallerIdentity', 0.2],
];
export const TASK_EXECUTION: Mix = [
  ['ecr:GetAuthorizationToken', 2], ['ecr:BatchGetImage', 1], ['logs:CreateLogStream', 1], ['secretsmanager:GetSecretValue', 0.5],
];
export const DEPLOY: Mix = [
  ['lambda:UpdateFunctionCode20150331v2', 1], ['ecs:UpdateService', 1], ['ecs:DescribeServices', 2], ['ecs:DescribeTaskDefinition', 1],
  ['ecr:DescribeRepositories', 1], ['ecr:BatchGetImage', 1], ['s3:PutObject', 2], ['s3:GetObject', 1],
  ['lambda:GetFunction20150331v2', 1], ['lambda:GetFunctionConfiguration20150331v2', 1],
];
export const TERRAFORM_READS: Mix = [
  ['ec2:DescribeInstances', 4], ['ec2:DescribeSecurityGroups', 4], ['ec2:DescribeSecurityGroupRules', 3], ['ec2:DescribeVpcs', 2],
  ['ec2:DescribeSubnets', 3], ['ec2:DescribeNetworkInterfaces', 1], ['ec2:DescribeVolumes', 1], ['ec2:DescribeImages', 1],
  ['ec2:DescribeLaunchTemplates', 1], ['ec2:DescribeTags', 1], ['ec2:DescribeAvailabilityZones', 1],
  ['iam:GetRole', 4], ['iam:ListAttachedRolePolicies', 3], ['iam:ListRolePolicies', 2], ['iam:GetRolePolicy', 2], ['iam:GetPolicy', 2],
  ['iam:GetPolicyVersion', 2], ['iam:GetUser', 1],
  ['s3:GetBucketPolicy', 2], ['s3:GetBucketAcl', 2], ['s3:GetBucketVersioning', 2], ['s3:GetBucketEncryption', 2],
  ['s3:GetBucketPublicAccessBlock', 2], ['s3:GetBucketTagging', 2], ['s3:GetBucketLocation', 1],
  ['kms:DescribeKey', 2], ['kms:GetKeyRotationStatus', 1], ['kms:ListAliases', 1],
  ['lambda:GetFunction20150331v2', 2], ['lambda:GetPolicy20150331v2', 1], ['lambda:ListTags20170331', 1],
  ['lambda:ListEventSourceMappings20150331', 1], ['logs:DescribeLogGroups', 2], ['rds:DescribeDBInstances', 1],
  ['rds:DescribeDBClusters', 1], ['ecs:DescribeServices', 1], ['ecs:DescribeTaskDefinition', 1], ['monitoring:DescribeAlarms', 1],
  ['secretsmanager:DescribeSecret', 1], ['dynamodb:DescribeTable', 1], ['ecr:DescribeRepositories', 1],
  ['cloudtrail:DescribeTrails', 0.5], ['cloudtrail:GetEventSelectors', 0.5], ['sts:GetCallerIdentity', 0.5],
];
export const TERRAFORM_APPLY: Mix = [
  ...TERRAFORM_READS, ['ec2:CreateTags', 0.5], ['s3:PutBucketTagging', 0.3], ['iam:TagRole', 0.3], ['iam:AttachRolePolicy', 0.1],
  ['iam:PutRolePolicy', 0.1], ['iam:CreateRole', 0.05], ['ec2:AuthorizeSecurityGroupIngress', 0.1],
];
export const CONFIG: Mix = [
  ['ec2:DescribeInstances', 3], ['ec2:DescribeSecurityGroups', 3], ['ec2:DescribeVolumes', 2], ['ec2:DescribeSubnets', 1],
  ['ec2:DescribeVpcs', 1], ['ec2:DescribeNetworkInterfaces', 2], ['ec2:DescribeAddresses', 1],
  ['iam:GetRole', 2], ['iam:ListAttachedRolePolicies', 2], ['iam:ListRolePolicies', 1], ['iam:GetRolePolicy', 1], ['iam:GetPolicy', 1],
  ['s3:GetBucketAcl', 1], ['s3:GetBucketPolicy', 1], ['s3:GetBucketVersioning', 1], ['s3:GetBucketEncryption', 1],
  ['s3:GetBucketPublicAccessBlock', 1], ['s3:GetBucketTagging', 1], ['kms:DescribeKey', 1], ['kms:GetKeyRotationStatus', 1],
  ['lambda:GetFunction20150331v2', 1], ['lambda:GetPolicy20150331v2', 1], ['rds:DescribeDBInstances', 1],
  ['cloudtrail:DescribeTrails', 0.5], ['cloudtrail:GetTrailStatus', 0.5],
];
export const BACKUP: Mix = [
  ['ec2:CreateSnapshot', 2], ['ec2:DescribeSnapshots', 3], ['ec2:DeleteSnapshot', 1], ['ec2:DescribeVolumes', 3],
  ['s3:PutObject', 4], ['s3:ListObjects', 1], ['s3:HeadObject', 1], ['kms:GenerateDataKey', 2], ['rds:DescribeDBSnapshots', 1],
];
export const METRICS: Mix = [
  ['monitoring:ListMetrics', 3], ['monitoring:DescribeAlarms', 2], ['ec2:DescribeInstances', 3], ['ec2:DescribeInstanceStatus', 2],
  ['rds:DescribeDBInstances', 2], ['tagging:GetResources', 3], ['ecs:DescribeServices', 1], ['lambda:ListFunctions20150331', 1],
];
export const LEGACY_REPORTING: Mix = [['s3:GetObject', 4], ['s3:ListObjects', 2], ['dynamodb:DescribeTable', 1], ['sts:GetCallerIdentity', 1]];
export const CI_DEPLOYER: Mix = [['sts:GetCallerIdentity', 3], ['sts:AssumeRole', 2], ['ecr:GetAuthorizationToken', 2]];
export const PARTNER: Mix = [['s3:GetObject', 3], ['s3:PutObject', 2], ['s3:ListObjects', 2]];
export const LOG_ARCHIVER: Mix = [['s3:GetObject', 3], ['s3:PutObject', 2], ['logs:CreateLogStream', 1], ['kms:Decrypt', 1]];
export const FINDINGS: Mix = [['secretsmanager:GetSecretValue', 1], ['logs:CreateLogStream', 1], ['kms:Decrypt', 1], ['sts:GetCallerIdentity', 0.3]];
export const BULK_UPLOAD: Mix = [['s3:PutObject', 6], ['s3:GetObject', 3], ['s3:HeadObject', 2], ['kms:GenerateDataKey', 1]];
