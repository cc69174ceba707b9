// Lambda: function inspection from consoles and Terraform, code updates from deploys.
// (Invoke is a data event this trail does not record.)
import { api, type Ctx } from '../action';
import { hex } from '../ids';
import { nth } from '../nth';

const S = 'lambda.amazonaws.com';

const fnOf = (c: Ctx) => c.attrs.functionName ?? c.rng.pick(c.res.functions);
const fnArn = (c: Ctx, name: string) => `arn:aws:lambda:${c.region}:${c.acct.account.id}:function:${name}`;
const notFound = (c: Ctx) =>
  ['ResourceNotFoundException', `Function not found: ${fnArn(c, c.rng.pick(['legacy-cron', 'old-webhook']))}`] as const;

export const LAMBDA = [
  api(S, 'ListFunctions20150331', {}, () => ({ requestParameters: null })),
  api(S, 'GetFunction20150331v2', { notFoundRate: 0.03, notFound }, (c) => ({ requestParameters: { functionName: fnOf(c) } })),
  api(S, 'GetFunctionConfiguration20150331v2', {}, (c) => ({ requestParameters: { functionName: fnOf(c) } })),
  api(S, 'GetPolicy20150331v2', {}, (c) => ({ requestParameters: { functionName: fnOf(c) } })),
  api(S, 'ListTags20170331', {}, (c) => ({ requestParameters: { resource: fnArn(c, fnOf(c)) } })),
  api(S, 'ListEventSourceMappings20150331', {}, (c) => ({ requestParameters: { functionName: fnOf(c) } })),
  api(S, 'UpdateFunctionCode20150331v2', {}, (c) => {
    const name = fnOf(c);
    const artifacts = c.res.buckets.find((b) => b.purpose === 'artifacts') ?? nth(c.res.buckets, 0, 'bucket');
    return {
      requestParameters: {
        functionName: name,
        s3Bucket: artifacts.name,
        s3Key: `builds/${name}/${hex(c.rng, 12)}.zip`,
        publish: true,
        dryRun: false,
      },
      responseElements: {
        functionName: name,
        functionArn: fnArn(c, name),
        runtime: 'python3.12',
        role: `arn:aws:iam::${c.acct.account.id}:role/service-role/orders-processor-role`,
        handler: 'app.handler',
        codeSize: c.rng.range(20_000, 9_000_000),
        timeout: 30,
        memorySize: 512,
        version: String(c.rng.range(2, 180)),
        state: 'Active',
        lastUpdateStatus: 'InProgress',
        lastUpdateStatusReason: 'The function is being created.',
        lastUpdateStatusReasonCode: 'Creating',
        architectures: ['arm64'],
      },
    };
  }),
];
