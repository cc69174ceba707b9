// The evidence of a whole investigation (docs/investigations.md): every cell run it
// recorded (SQL as run, source, account, window, row count, result hash), the events
// marked with their notes, the pivots, the notes and decisions, and the SHA-256 and git
// state of the record itself, so a reviewer can show later that the record is the one
// this evidence describes. Built from the record on disk: what is reviewed in the pull
// request is what the evidence covers. Secrets are scrubbed as in src/app/evidence.ts.
import { plural } from '../../protocol/plural';
import { gitInfo, scrubSecrets, secretsFromEnv, sha256Hex, type GitInfo } from '../evidence';
import type { CellRunEntry, EventMarkEntry, NoteEntry, PivotEntry, RecordHeader } from './record';
import { markedEvents, parseRecord, type RecordProblem } from './recordParse';
import { codeSpan, proseLine, quotedBlock, fencedBlock } from './recordText';

export const INVESTIGATION_EVIDENCE_FORMAT = 'trailbook-investigation-evidence/1';

export interface InvestigationEvidence {
  readonly format: typeof INVESTIGATION_EVIDENCE_FORMAT;
  readonly generatedAt: string;
  readonly generator: string;
  readonly record: { readonly path: string; readonly sha256: string; readonly git: GitInfo };
  readonly investigation: RecordHeader;
  readonly summary: {
    readonly runs: number;
    readonly findings: number;
    readonly errors: number;
    readonly marked: number;
    readonly pivots: number;
    readonly notes: number;
    readonly decisions: number;
  };
  readonly runs: readonly CellRunEntry[];
  /** The latest mark of each event. */
  readonly marked: readonly EventMarkEntry[];
  readonly pivots: readonly PivotEntry[];
  readonly notes: readonly NoteEntry[];
  /** Lines of the record that could not be read as entries: the evidence says so rather than leaving them out quietly. */
  readonly problems: readonly RecordProblem[];
}

export interface InvestigationEvidenceInput {
  readonly recordPath: string;
  readonly recordText: string;
  readonly git: GitInfo;
  readonly generatedAt?: Date;
  readonly generator?: string;
  readonly secrets?: readonly string[];
}

export function buildInvestigationEvidence(input: InvestigationEvidenceInput): InvestigationEvidence {
  const parsed = parseRecord(input.recordText);
  if (parsed.header === undefined)
    throw new Error(`${input.recordPath} is not an investigation record: ${parsed.problems[0]?.message ?? ''}`);
  const runs = parsed.entries.filter((e): e is CellRunEntry => e.kind === 'run');
  const pivots = parsed.entries.filter((e): e is PivotEntry => e.kind === 'pivot');
  const notes = parsed.entries.filter((e): e is NoteEntry => e.kind === 'note' || e.kind === 'decision');
  const marked = markedEvents(parsed.entries);
  const report: InvestigationEvidence = {
    format: INVESTIGATION_EVIDENCE_FORMAT,
    generatedAt: (input.generatedAt ?? new Date()).toISOString(),
    generator: input.generator ?? 'trailbook',
    // Hashed before scrubbing: over the bytes on disk.
    record: { path: input.recordPath, sha256: sha256Hex(input.recordText), git: input.git },
    investigation: parsed.header,
    summary: {
      runs: runs.length,
      findings: runs.filter((r) => r.status === 'finding').length,
      errors: runs.filter((r) => r.status === 'error').length,
      marked: marked.length,
      pivots: pivots.length,
      notes: notes.filter((n) => n.kind === 'note').length,
      decisions: notes.filter((n) => n.kind === 'decision').length,
    },
    runs,
    marked,
    pivots,
    notes,
    problems: parsed.problems,
  };
  return scrubSecrets(report, input.secrets ?? secretsFromEnv());
}

/** Reads the record's git state and builds the evidence. */
export async function investigationEvidence(recordPath: string, recordText: string, generator?: string): Promise<InvestigationEvidence> {
  return buildInvestigationEvidence({ recordPath, recordText, git: await gitInfo(recordPath), ...(generator ? { generator } : {}) });
}

export function renderInvestigationEvidence(report: InvestigationEvidence, format: 'json' | 'markdown'): string {
  return format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : investigationEvidenceMarkdown(report);
}

/** A code span for a table cell: `|` would end the cell even inside one. */
const cell = (value: string): string => codeSpan(value).replaceAll('|', '\\|');

function gitText(git: GitInfo): string {
  if (!git.repository) return proseLine(git.reason);
  return [
    git.head ? `HEAD ${codeSpan(git.head)}` : 'no commits yet',
    git.commit ? `record last committed in ${codeSpan(git.commit)}` : 'record never committed',
    git.uncommittedChanges ? '**uncommitted changes**: the record differs from its commit' : 'no uncommitted changes',
  ].join('; ');
}

export function investigationEvidenceMarkdown(report: InvestigationEvidence): string {
  const { investigation, summary } = report;
  const out: string[] = [`# Evidence of the investigation: ${proseLine(investigation.title)}`, ''];
  out.push(`Format ${codeSpan(report.format)}, generated by ${proseLine(report.generator)} at ${codeSpan(report.generatedAt)}.`, '');
  out.push(`- Record: ${codeSpan(report.record.path)}`);
  out.push(`- Record SHA-256: ${codeSpan(report.record.sha256)}`);
  out.push(`- Git: ${gitText(report.record.git)}`);
  out.push(`- Runbook it started from: ${codeSpan(investigation.runbook)}`);
  out.push(`- Opened: ${codeSpan(investigation.openedAt)}`);
  out.push(
    `- Summary: ${plural(summary.runs, 'cell run')} (${summary.findings} with findings, ${plural(summary.errors, 'error')}), ${plural(summary.marked, 'event')} marked, ${plural(summary.pivots, 'pivot')}, ${plural(summary.notes, 'note')}, ${plural(summary.decisions, 'decision')}`,
    '',
  );
  out.push('## Cell runs', '');
  if (report.runs.length === 0) out.push('No cell ran.', '');
  else {
    out.push('| Ran at | Runbook | Cell | Status | Rows | Window | Account | Result SHA-256 |', '|---|---|---|---|---|---|---|---|');
    for (const run of report.runs) {
      const window = run.window ? `${cell(run.window.start)} to ${cell(run.window.end)}` : '';
      out.push(
        `| ${cell(run.at)} | ${cell(run.runbook)} | ${cell(run.cellId)} | ${cell(run.status)} | ${run.rowCount}${run.truncated ? ' (truncated)' : ''} | ${window} | ${run.account ? cell(run.account) : ''} | ${run.resultSha256 ? cell(run.resultSha256) : '—'} |`,
      );
    }
    out.push('');
  }
  out.push('## Events marked', '');
  if (report.marked.length === 0) out.push('No event was starred or tagged.', '');
  for (const mark of report.marked) {
    out.push(
      `- ${codeSpan(mark.tag)} ${codeSpan(mark.eventId)}${mark.eventName ? ` ${codeSpan(mark.eventName)}` : ''}${mark.eventTime ? ` at ${codeSpan(mark.eventTime)}` : ''}${mark.principal ? ` by ${codeSpan(mark.principal)}` : ''}`,
    );
    if (mark.note) out.push('', ...quotedBlock(mark.note).map((line) => `  ${line}`), '');
  }
  if (report.marked.length > 0) out.push('');
  out.push('## Pivots', '');
  if (report.pivots.length === 0) out.push('No pivot was taken.', '');
  for (const pivot of report.pivots)
    out.push(
      `- ${codeSpan(pivot.at)}: ${codeSpan(pivot.pivot)} from ${codeSpan(pivot.fromCell)} on ${codeSpan(pivot.value)}, new cell ${codeSpan(pivot.newCell)}`,
    );
  if (report.pivots.length > 0) out.push('');
  out.push('## Notes and decisions', '');
  if (report.notes.length === 0) out.push('No note was written.', '');
  for (const note of report.notes)
    out.push(`### ${codeSpan(note.at)} · ${note.kind === 'decision' ? 'Decision' : 'Note'}`, '', ...quotedBlock(note.text), '');
  if (report.problems.length > 0) {
    out.push('## Lines of the record not read as entries', '');
    for (const problem of report.problems) out.push(`- line ${problem.line}: ${proseLine(problem.message)}`);
    out.push('');
  }
  out.push('## SQL as run', '');
  for (const run of report.runs)
    if (run.sql !== undefined) out.push(`### ${codeSpan(run.at)} · ${codeSpan(run.cellId)}`, '', ...fencedBlock(run.sql, 'sql'), '');
  return `${out.join('\n').trimEnd()}\n`;
}
