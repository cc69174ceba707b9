// What a response action's confirmation says: the action by its author's name, where it acts
// against where the finding happened, and every command of "run for each value" (the
// commands themselves come from the real substitution and run through a real /bin/sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseRunbook, substituteAction } from '../../src/runbook';
import { actingText, actionName, commandRegion, findingPlace, placeWarnings, valueCombinations } from '../../src/extension/actionPlan';
import { itemAt } from '../support/itemAt';

const runbook = parseRunbook(
  [
    '---',
    'title: Keys',
    '---',
    '',
    '```cloudtrail id=new-keys',
    'SELECT userIdentity.accessKeyId AS key, recipientAccountId, awsRegion FROM cloudtrail_logs',
    '```',
    '',
    '## Deactivate the new keys',
    '',
    '```sh',
    'echo deactivate {{new-keys.key}}',
    '```',
    '',
    '## Revoke',
    '',
    '```sh id=revoke-sessions',
    'echo revoke',
    '```',
    '',
    '```sh',
    'echo third',
    '```',
    '',
  ].join('\n'),
  'keys.md',
);

test('actions are named by their id when the author gave one, else by the heading above them', () => {
  assert.deepEqual(runbook.actions.map(actionName), ['Deactivate the new keys', 'revoke-sessions', 'Revoke']);
  const bare = parseRunbook('```cloudtrail id=a\nSELECT 1\n```\n\n```sh\necho x\n```\n', 'bare.md');
  assert.equal(actionName(itemAt(bare.actions, 0)), itemAt(bare.actions, 0).id, 'neither: the generated id is all there is');
});

test("the finding's accounts and regions, from its columns in any case", () => {
  const place = findingPlace([
    {
      columns: ['key', 'recipientAccountId', 'awsRegion'],
      rows: [
        ['AKIA1', '111122223333', 'eu-west-1'],
        ['AKIA2', '111122223333', 'us-east-1'],
        ['AKIA3', null, null],
      ],
    },
    { columns: ['RECIPIENT_ACCOUNT_ID'], rows: [['444455556666']] },
  ]);
  assert.deepEqual(place, { accounts: ['111122223333', '444455556666'], regions: ['eu-west-1', 'us-east-1'] });
  assert.deepEqual(findingPlace([{ columns: ['key'], rows: [['AKIA1']] }]), { accounts: [], regions: [] });
});

test('a mismatch of account or region is warned about; a match, or nothing known, is not', () => {
  const finding = { accounts: ['111122223333'], regions: ['eu-west-1'] };
  const acting = { profile: 'responder', account: '222233334444', region: 'us-east-1' };
  const warnings = placeWarnings(acting, finding, ['aws ec2 stop-instances --instance-ids i-1']);
  assert.equal(warnings.length, 2);
  assert.match(itemAt(warnings, 0), /account 111122223333, but profile responder acts in account 222233334444/);
  assert.match(itemAt(warnings, 1), /region eu-west-1, but the command acts in us-east-1/);
  assert.deepEqual(placeWarnings({ profile: 'p', account: '111122223333', region: 'eu-west-1' }, finding, ['aws ec2 stop-instances']), []);
  assert.deepEqual(
    placeWarnings({ profile: 'p', account: '111122223333', region: 'us-east-1' }, finding, ["aws ec2 stop-instances --region 'eu-west-1'"]),
    [],
    "the command's own --region wins",
  );
  assert.deepEqual(
    placeWarnings({ profile: 'p', account: '111122223333', region: 'us-east-1' }, finding, ['aws iam update-access-key']),
    [],
    'IAM is global',
  );
  assert.deepEqual(placeWarnings({ profile: 'p', accountProblem: 'expired' }, { accounts: [], regions: [] }, ['aws ec2 x']), []);
  assert.equal(commandRegion('aws s3 ls --region=ap-southeast-2'), 'ap-southeast-2');
  assert.equal(
    actingText({ profile: 'p', accountProblem: 'the SSO session expired' }),
    'AWS profile p · account unknown (the SSO session expired) · region not set (the AWS CLI will ask for one)',
  );
});

test('"run for each value": one command per value, each value its own shell word', async () => {
  const action = itemAt(runbook.actions, 0);
  const values = ['AKIA1', "AKIA2'; touch /tmp/pwned; '", 'AKIA3'];
  const cellResults = () => ({ columns: ['key', 'recipientAccountId', 'awsRegion'], rows: values.map((v) => [v, '1', 'r']) });
  const combos: Record<string, string>[] = valueCombinations(new Map([['{{new-keys.key}}', values]]));
  const commands: string[] = [];
  for (const combo of combos)
    commands.push((await substituteAction(action, runbook, { params: {}, cellResults, choose: (ref) => combo[ref.text] })).command);
  assert.deepEqual(
    combos,
    values.map((v) => ({ '{{new-keys.key}}': v })),
  );
  const printed = commands.map((command) => spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8' }).stdout);
  assert.deepEqual(
    printed,
    values.map((v) => `deactivate ${v}\n`),
  );
});

test('combinations over two references: every pair, first reference slowest', () => {
  assert.deepEqual(
    valueCombinations(
      new Map([
        ['a', ['1', '2']],
        ['b', ['x', 'y']],
      ]),
    ),
    [
      { a: '1', b: 'x' },
      { a: '1', b: 'y' },
      { a: '2', b: 'x' },
      { a: '2', b: 'y' },
    ],
  );
});
