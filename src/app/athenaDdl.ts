// `trailbook athena ddl --apply`: the table's CREATE statement run through
// StartQueryExecution in the chosen workgroup, as the person would paste it into the
// console. The token is derived from the statement, so a retried apply starts nothing new.
import { AthenaClient } from '@aws-sdk/client-athena';
import { AthenaQueryRunner } from '../sources/athena/client';
import { clientRequestToken } from '../sources/athena/requestToken';
import { AwsSession } from '../sources/aws/awsSession';
import type { MfaCodeProvider } from '../sources/aws/credentials';
import type { AthenaTarget } from './openSource';

export async function applyAthenaDdl(
  target: AthenaTarget,
  sql: string,
  options: { mfaCodeProvider?: MfaCodeProvider; signal?: AbortSignal } = {},
): Promise<{ queryExecutionId: string }> {
  const session = new AwsSession({
    region: target.region,
    ...(target.profile ? { profile: target.profile } : {}),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(options.mfaCodeProvider ? { mfaCodeProvider: options.mfaCodeProvider } : {}),
  });
  await session.current();
  const client = new AthenaClient({
    region: target.region,
    credentials: session.provider,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
  });
  try {
    const runner = new AthenaQueryRunner(
      client,
      target,
      { where: `workgroup ${target.workgroup}, ${target.region}`, tableSetting: '--table', workgroupSetting: '--athena-workgroup' },
      (text) => session.redact(text),
    );
    const epoch = { start: new Date(0), end: new Date(0), label: 'ddl' };
    const result = await runner.run(sql, {
      token: clientRequestToken({ runbook: 'trailbook athena ddl', cell: '', sql, window: epoch }),
      statement: 'ddl',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { queryExecutionId: result.queryExecutionId };
  } finally {
    client.destroy();
  }
}
