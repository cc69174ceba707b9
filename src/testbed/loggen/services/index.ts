// Every action the generator knows, by key ("ec2:DescribeInstances").
import type { ActionDef } from '../action';
import { CLOUDTRAIL } from './cloudtrail';
import { EC2 } from './ec2';
import { IAM } from './iam';
import { KMS } from './kms';
import { LAMBDA } from './lambda';
import { LOGS } from './logs';
import { MISC } from './misc';
import { S3 } from './s3';
import { CONSOLE_LOGIN } from './signin';
import { SSM } from './ssm';
import { STS } from './sts';

const ALL: ActionDef[] = [...EC2, ...S3, ...IAM, ...STS, CONSOLE_LOGIN, ...KMS, ...CLOUDTRAIL, ...LAMBDA, ...LOGS, ...SSM, ...MISC];

const BY_KEY = new Map(ALL.map((a) => [a.key, a]));

/** The action with this key; throws on a typo so profiles fail at load, not mid-run. */
export function action(key: string): ActionDef {
  const a = BY_KEY.get(key);
  if (!a) throw new Error(`unknown action ${key}`);
  return a;
}
