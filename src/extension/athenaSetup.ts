// Asks for Athena's workgroup, table and region when the person picks Athena, and writes
// them to the user's settings (never the workspace's: a repository must not choose where
// queries run or what they cost, see settingsScope.ts). The checks are the CLI's
// (app/athenaTarget.ts); the defaults (primary, default.cloudtrail_logs) are offered.
import * as vscode from 'vscode';
import { athenaTarget } from '../app/athenaTarget';
import { ATHENA_SETTINGS } from './runTarget';
import type { RunSettings } from './settings';

function problem(input: Parameters<typeof athenaTarget>[0]): string | undefined {
  try {
    athenaTarget(input, ATHENA_SETTINGS, process.env);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** True when the three were given and written. */
export async function askAthenaSettings(settings: RunSettings): Promise<boolean> {
  const current = settings.current().athena ?? {};
  const workgroup = await vscode.window.showInputBox({
    title: 'Athena workgroup (1/3): written to your user settings as trailbook.athena.workgroup',
    prompt: 'the workgroup queries run in (its query result location and limits apply)',
    value: current.workgroup || 'primary',
    ignoreFocusOut: true,
    validateInput: (value) => problem({ workgroup: value }),
  });
  if (workgroup === undefined) return false;
  const table = await vscode.window.showInputBox({
    title: 'Athena table (2/3): written as trailbook.athena.database and trailbook.athena.table',
    prompt: 'database.table of the CloudTrail table (`trailbook athena ddl` prints one with partition projection)',
    value: `${current.database || 'default'}.${current.table || 'cloudtrail_logs'}`,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const [database, name, extra] = value.trim().split('.');
      if (name === undefined || extra !== undefined) return 'write it as database.table';
      return problem({ database: database!, table: name });
    },
  });
  if (table === undefined) return false;
  const region = await vscode.window.showInputBox({
    title: 'Athena region (3/3): written as trailbook.athena.region',
    prompt: 'the region of the workgroup and the table, such as us-east-1',
    value: current.region || process.env.AWS_REGION || 'us-east-1',
    ignoreFocusOut: true,
    validateInput: (value) => problem({ region: value }),
  });
  if (region === undefined) return false;
  const [database, name] = table.trim().split('.');
  const config = vscode.workspace.getConfiguration('trailbook');
  await config.update('athena.workgroup', workgroup.trim(), vscode.ConfigurationTarget.Global);
  await config.update('athena.database', database, vscode.ConfigurationTarget.Global);
  await config.update('athena.table', name, vscode.ConfigurationTarget.Global);
  await config.update('athena.region', region.trim(), vscode.ConfigurationTarget.Global);
  return true;
}

/** Before a query that could scan more than the limit: the editor asks (the CLI refuses without --max-scan). */
export async function confirmAthenaScan(
  bound: { readonly bytes: number; readonly objects: number },
  limitBytes: number,
  pricePerTb: number,
): Promise<boolean> {
  const gb = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  const cost = ((bound.bytes / 1024 ** 4) * pricePerTb).toFixed(2);
  const run = 'Run it';
  const answer = await vscode.window.showWarningMessage(
    `This Athena query could scan up to ${gb(bound.bytes)} (${bound.objects.toLocaleString('en-US')} objects), about $${cost}, above your limit of ${gb(limitBytes)} (trailbook.athena.maxScanBytes).`,
    {
      modal: true,
      detail: 'A shorter window, or fewer accounts and regions (trailbook.athena.accounts, trailbook.athena.regions), reads less.',
    },
    run,
  );
  return answer === run;
}
