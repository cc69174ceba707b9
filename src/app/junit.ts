// JUnit XML (the Surefire shape Jenkins, GitLab and most CI systems read) for `run` and
// `check`: a runbook is a test suite, each cell a test case; a finding is a failure holding
// its rows, a cell that could not run an error, a skipped cell skipped. Validated in the
// tests against Jenkins' junit-10.xsd.
import type { CellRun } from './runbookRunner';
import { toTable } from './output';

/**
 * Text for an XML 1.0 attribute or element: the five markup characters as entities, and the
 * characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF),
 * which log fields may carry, written as their \uXXXX code so the document stays readable.
 */
export function xmlText(text: string): string {
  return text
    .replace(
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`,
    )
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export interface JunitSuite {
  readonly runbook: string;
  readonly runs: readonly CellRun[];
  /** Why the runbook did not run at all (a runbook error, a source that failed): one error case. */
  readonly failure?: string;
}

function testCase(runbook: string, run: CellRun): string {
  const name = xmlText(run.cell.heading ? `${run.cell.id} · ${run.cell.heading}` : run.cell.id);
  const open = `    <testcase name="${name}" classname="${xmlText(runbook)}" time="${seconds(run.elapsedMs)}"`;
  const line = (run.error?.line ?? run.cell.fenceLine) + 1;
  switch (run.status) {
    case 'ok':
      return `${open}/>`;
    case 'finding': {
      const message =
        run.cell.expect === 'rows'
          ? `expected rows, found none (${runbook}:${line})`
          : `${run.rows.length} finding${run.rows.length === 1 ? '' : 's'}${run.truncated ? ' (limit reached)' : ''} (${runbook}:${line})`;
      const body = run.rows.length > 0 ? toTable(run.columns, run.rows) : '';
      return `${open}>\n      <failure type="finding" message="${xmlText(message)}">${xmlText(body)}</failure>\n    </testcase>`;
    }
    case 'error':
      return `${open}>\n      <error type="error" message="${xmlText(`${runbook}:${line}: ${run.error?.message ?? 'error'}`)}">${xmlText(run.sql ?? '')}</error>\n    </testcase>`;
    default:
      // skipped, or any status that means the cell did not run (a parameter not configured).
      return `${open}>\n      <skipped message="${xmlText(run.error?.message ?? `not run (${run.status})`)}"/>\n    </testcase>`;
  }
}

export function toJunit(suites: readonly JunitSuite[], now: Date = new Date()): string {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let totalMs = 0;
  const body = suites.map((suite) => {
    const count = (status: CellRun['status']): number => suite.runs.filter((r) => r.status === status).length;
    const ms = suite.runs.reduce((sum, r) => sum + r.elapsedMs, 0);
    const cases = suite.runs.map((run) => testCase(suite.runbook, run));
    if (suite.failure !== undefined) {
      cases.push(
        `    <testcase name="runbook" classname="${xmlText(suite.runbook)}" time="0.000">\n      <error type="error" message="${xmlText(suite.failure)}"/>\n    </testcase>`,
      );
    }
    const suiteErrors = count('error') + (suite.failure !== undefined ? 1 : 0);
    tests += cases.length;
    failures += count('finding');
    errors += suiteErrors;
    totalMs += ms;
    return [
      `  <testsuite name="${xmlText(suite.runbook)}" tests="${cases.length}" failures="${count('finding')}" errors="${suiteErrors}" skipped="${suite.runs.filter((r) => !['ok', 'finding', 'error'].includes(r.status)).length}" time="${seconds(ms)}" timestamp="${now.toISOString().replace(/\.\d+Z$/, '')}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="trailbook" tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds(totalMs)}">\n${body.join('\n')}\n</testsuites>\n`;
}
