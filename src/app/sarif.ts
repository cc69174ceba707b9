// SARIF 2.1.0 for `trailbook lint --format sarif`, the format GitHub code scanning reads: one
// rule per lint code (the code is the rule id, stable across releases), one result per
// problem, located at its runbook line. The fingerprint hashes the code, the file and the
// text of the line, not its number, so a problem keeps its identity when lines above it move.
import { createHash } from 'node:crypto';
import type { RunbookProblem } from '../runbook/types';

export interface LintedFile {
  /** Relative to the repository root, with / separators. */
  readonly uri: string;
  readonly text: string;
  readonly problems: readonly RunbookProblem[];
}

const HELP = 'https://github.com/trailbook/trailbook/blob/main/docs/runbook-format.md#what-the-linter-reports';

export function toSarif(files: readonly LintedFile[], version: string): string {
  const codes = [...new Set(files.flatMap((f) => f.problems.map((p) => p.code)))].sort();
  const ruleIndex = new Map(codes.map((code, i) => [code, i]));
  const levels = new Map<string, 'error' | 'warning'>();
  for (const p of files.flatMap((f) => f.problems)) if (levels.get(p.code) !== 'error') levels.set(p.code, p.severity);
  const results = files.flatMap((file) => {
    const lines = file.text.split(/\r?\n/);
    const seen = new Map<string, number>();
    return file.problems.map((problem) => {
      const lineText = (lines[problem.line] ?? '').trim();
      const base = `${problem.code}\0${file.uri}\0${lineText}`;
      // Two identical problems on identical lines stay two results.
      const occurrence = seen.get(base) ?? 0;
      seen.set(base, occurrence + 1);
      return {
        ruleId: problem.code,
        ruleIndex: ruleIndex.get(problem.code)!,
        level: problem.severity,
        message: { text: problem.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: file.uri, uriBaseId: '%SRCROOT%' },
              region: { startLine: problem.line + 1, ...(problem.column !== undefined ? { startColumn: problem.column + 1 } : {}) },
            },
          },
        ],
        partialFingerprints: { 'trailbookProblem/v1': createHash('sha256').update(`${base}\0${occurrence}`).digest('hex') },
      };
    });
  });
  const log = {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'trailbook',
            semanticVersion: version,
            informationUri: 'https://github.com/trailbook/trailbook',
            rules: codes.map((code) => ({
              id: code,
              shortDescription: { text: `Runbook problem ${code}` },
              helpUri: HELP,
              defaultConfiguration: { level: levels.get(code) ?? 'warning' },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The folder trailbook lint ran in' } } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
