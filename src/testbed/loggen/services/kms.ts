// KMS: Decrypt and GenerateDataKey dominate (every SSE-KMS object, every secret read),
// plus key inspection and the yearly automatic rotation, an AwsServiceEvent.
import { api, type Ctx } from '../action';

const S = 'kms.amazonaws.com';

const keyOf = (c: Ctx) => c.rng.pick(c.res.keys);
const keyResource = (c: Ctx, arn: string) => [{ accountId: c.acct.account.id, type: 'AWS::KMS::Key', ARN: arn }];

function encryptionContext(c: Ctx): Record<string, string> {
  if (c.attrs.functionName) {
    return { 'aws:lambda:FunctionArn': `arn:aws:lambda:${c.region}:${c.acct.account.id}:function:${c.attrs.functionName}` };
  }
  const b = c.res.buckets[0];
  return b ? { 'aws:s3:arn': `arn:aws:s3:::${b.name}` } : { purpose: 'app-data' };
}

export const KMS = [
  api(S, 'Decrypt', {}, (c) => {
    const k = keyOf(c);
    return {
      requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: encryptionContext(c) },
      resources: keyResource(c, k.arn),
    };
  }),
  api(S, 'GenerateDataKey', { readOnly: true }, (c) => {
    const k = keyOf(c);
    return {
      requestParameters: { keyId: k.alias, keySpec: 'AES_256', encryptionContext: encryptionContext(c) },
      resources: keyResource(c, k.arn),
    };
  }),
  api(S, 'Encrypt', { readOnly: true }, (c) => {
    const k = keyOf(c);
    return {
      requestParameters: { keyId: k.alias, encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: encryptionContext(c) },
      resources: keyResource(c, k.arn),
    };
  }),
  api(S, 'DescribeKey', {}, (c) => {
    const k = keyOf(c);
    return { requestParameters: { keyId: k.id }, resources: keyResource(c, k.arn) };
  }),
  api(S, 'GetKeyRotationStatus', {}, (c) => {
    const k = keyOf(c);
    return { requestParameters: { keyId: k.id }, resources: keyResource(c, k.arn) };
  }),
  api(S, 'ListAliases', {}, () => ({ requestParameters: null })),
  api(S, 'ListKeys', {}, () => ({ requestParameters: null })),
  api(S, 'RotateKey', { eventType: 'AwsServiceEvent', readOnly: false, requestId: 'none' }, (c) => {
    const k = keyOf(c);
    return {
      requestParameters: null,
      resources: keyResource(c, k.arn),
      serviceEventDetails: { keyId: k.id },
    };
  }),
];
