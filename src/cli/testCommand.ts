// `trailbook test [PATH…]`: runs the test cases kept beside runbooks (`<stem>.tests/`), one
// line a case, then `N passed, N failed`. Exit 1 when a case failed, 2 when one could not
// run (a bad file, a cell that errs or is not configured), 0 when all passed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EventStore } from '../engine/eventStore';
import { parseRunbook } from '../runbook/parse';
import type { Runbook } from '../runbook/types';
import { findRunbookTests, readTestParams, TestCaseError, type TestCase } from '../app/runbookTests';
import { runTestCase, type CaseOutcome } from '../app/runbookTestRun';
import { markdownFiles } from './lintCommand';
import { packageRoot } from './packageRoot';
import { plural, terminalText } from './text';
import { UsageError, type CommandResult } from './usageError';

export interface TestSummary {
  readonly passed: number;
  readonly failed: number;
  /** Cases, or whole runbooks' tests, that could not run. */
  readonly errors: number;
}

const caseLabel = (c: TestCase): string => `${c.runbookPath} ${c.cellId} ${c.kind}/${c.name}`;

function outcomeLine(outcome: CaseOutcome): string {
  const label = caseLabel(outcome.case);
  switch (outcome.outcome) {
    case 'passed':
      return `✓ ${label}`;
    case 'failed':
      return `✗ ${label}: ${indentRest(outcome.message)}`;
    case 'error':
      return `! ${label}: could not run: ${indentRest(outcome.message)}`;
  }
}

const indentRest = (text: string): string => text.replace(/\n/g, '\n    ');

/**
 * A value for a parameter the runbook does not declare is a typo that would leave a detection
 * not configured, or quietly testing something else.
 */
function checkedParams(runbook: Runbook, given: Record<string, string>, file: string): Record<string, string> {
  const unknown = Object.keys(given).find((name) => !runbook.params.some((p) => p.name === name));
  if (unknown)
    throw new TestCaseError(
      file,
      `${runbook.path} declares no parameter ${JSON.stringify(unknown)} (its parameters: ${runbook.params.map((p) => p.name).join(', ') || 'none'})`,
    );
  return given;
}

/** Runs the cases of every runbook under `paths`, writing a line each to `out`. */
export async function runTests(paths: readonly string[], out: (line: string) => void): Promise<TestSummary> {
  let passed = 0;
  let failed = 0;
  let errors = 0;
  const store = await EventStore.open({});
  try {
    for (const given of paths) {
      for (const path of await markdownFiles(given)) {
        const runbook = parseRunbook(await readFile(path, 'utf8'), path);
        const tests = await findRunbookTests(path);
        for (const stray of tests.strays) {
          out(
            terminalText(
              `! ${stray}: not a test case: cases are <cell-id>/fires/<case>.json or <cell-id>/quiet/<case>.json (with an optional <case>.expect.json beside a fires case)`,
            ),
          );
          errors += 1;
        }
        if (tests.cases.length === 0) continue;
        let params: Record<string, string> = {};
        if (tests.paramsFile) {
          try {
            params = checkedParams(runbook, await readTestParams(tests.paramsFile), tests.paramsFile);
          } catch (error) {
            if (!(error instanceof TestCaseError)) throw error;
            out(terminalText(`! ${error.message}: the ${plural(tests.cases.length, 'case')} of ${path} were not run`));
            errors += tests.cases.length;
            continue;
          }
        }
        const blocking = runbook.problems.find((p) => p.severity === 'error');
        if (blocking) {
          out(
            terminalText(
              `! ${path}:${blocking.line + 1}: ${blocking.message}: the ${plural(tests.cases.length, 'case')} of this runbook were not run (trailbook lint shows the same)`,
            ),
          );
          errors += tests.cases.length;
          continue;
        }
        for (const testCase of tests.cases) {
          let caseParams = params;
          if (testCase.paramsFile) {
            try {
              caseParams = { ...params, ...checkedParams(runbook, await readTestParams(testCase.paramsFile), testCase.paramsFile) };
            } catch (error) {
              if (!(error instanceof TestCaseError)) throw error;
              out(terminalText(`! ${caseLabel(testCase)}: could not run: ${error.message}`));
              errors += 1;
              continue;
            }
          }
          const outcome = await runTestCase(runbook, testCase, { store, params: caseParams });
          out(terminalText(outcomeLine(outcome)));
          if (outcome.outcome === 'passed') passed += 1;
          else if (outcome.outcome === 'failed') failed += 1;
          else errors += 1;
        }
      }
    }
  } finally {
    store.close();
  }
  return { passed, failed, errors };
}

export async function testCommand(argv: string[]): Promise<CommandResult> {
  const option = argv.find((a) => a.startsWith('-'));
  if (option)
    throw new UsageError(`unknown option ${option}: trailbook test takes only paths (runbooks or folders; default: the bundled runbooks)`);
  const paths = argv.length > 0 ? argv : [join(packageRoot(), 'runbooks')];
  const summary = await runTests(paths, (line) => process.stdout.write(`${line}\n`));
  const counts = `${summary.passed} passed, ${summary.failed} failed${summary.errors > 0 ? `, ${summary.errors} could not run` : ''}`;
  process.stdout.write(`${counts}\n`);
  if (summary.passed + summary.failed + summary.errors === 0) {
    return {
      exitCode: 0,
      message: `no test cases found under ${paths.join(', ')} (a runbook's cases go in <stem>.tests/<cell-id>/fires|quiet/*.json)`,
    };
  }
  return { exitCode: summary.errors > 0 ? 2 : summary.failed > 0 ? 1 : 0 };
}
