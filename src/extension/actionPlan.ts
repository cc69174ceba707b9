// What the confirmation of a response action says before anything reaches a terminal: the
// action by the name its author gave it, where it will act (the profile's account and
// region) against where the finding happened (its events' recipientAccountId and awsRegion),
// and, when a reference has several values, every command of "run for each value". Plain
// TypeScript: tested in node.
import { normalizeColumn } from '../protocol/pivotValues';
import type { RunbookAction } from '../runbook/types';

/** `deactivate-key` when the author gave an id; else the heading above it; `action-N` only when it has neither. */
export function actionName(action: RunbookAction): string {
  if (action.attributes.id) return action.id;
  return action.heading?.trim() || action.id;
}

/** Where the terminal's AWS CLI will act: the profile's account (from STS) and region. */
export interface ActingPlace {
  readonly profile: string;
  readonly account?: string;
  /** Why the account is unknown (expired credentials, no network), said instead of it. */
  readonly accountProblem?: string;
  readonly region?: string;
}

/** Where the finding's events were recorded: every distinct account and region among them. */
export interface FindingPlace {
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

const ACCOUNT_COLUMNS = new Set(['recipientaccountid']);
const REGION_COLUMNS = new Set(['awsregion']);

/** The accounts and regions a result's rows name (columns recipientAccountId, awsRegion, any case). */
export function findingPlace(
  results: readonly { readonly columns: readonly string[]; readonly rows: readonly (readonly unknown[])[] }[],
): FindingPlace {
  const accounts = new Set<string>();
  const regions = new Set<string>();
  for (const { columns, rows } of results) {
    const accountAt = columns.findIndex((c) => ACCOUNT_COLUMNS.has(normalizeColumn(c)));
    const regionAt = columns.findIndex((c) => REGION_COLUMNS.has(normalizeColumn(c)));
    for (const row of rows) {
      if (accountAt >= 0 && typeof row[accountAt] === 'string' && row[accountAt]) accounts.add(row[accountAt] as string);
      if (regionAt >= 0 && typeof row[regionAt] === 'string' && row[regionAt]) regions.add(row[regionAt] as string);
    }
  }
  return { accounts: [...accounts].sort(), regions: [...regions].sort() };
}

/** `--region eu-west-1` (or `--region=…`) written in the command: the AWS CLI acts there, whatever the profile says. */
export function commandRegion(command: string): string | undefined {
  return /--region(?:=|\s+)'?([a-z]{2}(?:-[a-z]+)+-\d+)'?/.exec(command)?.[1];
}

/** Services whose API has one endpoint for every region: a region mismatch does not matter to them. */
const GLOBAL_SERVICES = /^\s*aws\s+(iam|sts|organizations|route53|cloudfront)\b/m;

/** Warnings when the action would act elsewhere than where the finding happened; empty when it matches or cannot be known. */
export function placeWarnings(acting: ActingPlace, finding: FindingPlace, commands: readonly string[]): string[] {
  const warnings: string[] = [];
  if (acting.account && finding.accounts.length > 0 && !finding.accounts.includes(acting.account)) {
    warnings.push(
      `The finding's events are in account ${finding.accounts.join(', ')}, but profile ${acting.profile} acts in account ${acting.account}.`,
    );
  }
  const regions = new Set(commands.map((command) => commandRegion(command) ?? acting.region).filter((r): r is string => r !== undefined));
  const regional = commands.some((command) => !GLOBAL_SERVICES.test(command));
  if (regional && finding.regions.length > 0) {
    const elsewhere = [...regions].filter((region) => !finding.regions.includes(region));
    if (elsewhere.length > 0)
      warnings.push(`The finding's events are in region ${finding.regions.join(', ')}, but the command acts in ${elsewhere.join(', ')}.`);
  }
  return warnings;
}

/** `profile audit · account 111122223333 · region us-east-1` */
export function actingText(acting: ActingPlace): string {
  const account = acting.account
    ? `account ${acting.account}`
    : `account unknown${acting.accountProblem ? ` (${acting.accountProblem})` : ''}`;
  return `AWS profile ${acting.profile} · ${account} · region ${acting.region ?? 'not set (the AWS CLI will ask for one)'}`;
}

/**
 * Every combination of the values of the references run "for each value" (usually one
 * reference): `{ "{{keys.id}}": "AKIA1" }`, `{ "{{keys.id}}": "AKIA2" }`. Order kept, first reference slowest.
 */
export function valueCombinations(each: ReadonlyMap<string, readonly string[]>): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const [reference, values] of each) combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [reference]: value })));
  return combos;
}

/** The most commands one confirmation lists and one terminal receives. */
export const MAX_EACH = 50;
