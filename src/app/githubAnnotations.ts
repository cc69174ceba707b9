// GitHub Actions workflow commands (`::error file=…,line=…::message`), printed when
// GITHUB_ACTIONS is set, so problems and findings show on the pull request's lines. The
// message and the properties are escaped as the runner's own toolkit does (%, CR and LF;
// in properties also : and ,), so a log field cannot end the command or start another one.
// GitHub shows 10 errors and 10 warnings per step; the rest are counted, not dropped silently.
import type { CellRun } from './runbookRunner';
import { terminalText } from './output';

export interface Annotation {
  readonly level: 'error' | 'warning';
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column?: number;
  readonly title?: string;
  readonly message: string;
}

export const ANNOTATIONS_SHOWN = 10;

export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

export function annotationLine(a: Annotation): string {
  const props = [
    `file=${escapeProperty(terminalText(a.file))}`,
    `line=${a.line}`,
    ...(a.column !== undefined ? [`col=${a.column}`] : []),
    ...(a.title ? [`title=${escapeProperty(a.title)}`] : []),
  ];
  // Log values reach the message: hidden characters (ESC, bidi overrides) are shown as codes first.
  return `::${a.level} ${props.join(',')}::${escapeData(terminalText(a.message))}`;
}

/** The commands to print: the first ten of each level, then a line that says how many more there are. */
export function annotationLines(annotations: readonly Annotation[]): string[] {
  const lines: string[] = [];
  for (const level of ['error', 'warning'] as const) {
    const of = annotations.filter((a) => a.level === level);
    lines.push(...of.slice(0, ANNOTATIONS_SHOWN).map(annotationLine));
    if (of.length > ANNOTATIONS_SHOWN) {
      lines.push(
        `trailbook: ${of.length - ANNOTATIONS_SHOWN} more ${level}${of.length - ANNOTATIONS_SHOWN === 1 ? '' : 's'} not annotated (GitHub shows ${ANNOTATIONS_SHOWN} per step); all ${of.length} are in the log above`,
      );
    }
  }
  return lines;
}

/** A run's findings and failures, on the lines of the cells they come from. */
export function runAnnotations(runbook: string, runs: readonly CellRun[]): Annotation[] {
  return runs.flatMap((run): Annotation[] => {
    if (run.status === 'finding') {
      const message =
        run.cell.expect === 'rows'
          ? 'expected rows, found none'
          : `${run.rows.length}${run.truncated ? '+' : ''} finding${run.rows.length === 1 ? '' : 's'}`;
      return [
        {
          level: 'error',
          file: runbook,
          line: run.cell.fenceLine + 1,
          title: `trailbook: ${run.cell.id}`,
          message: `${run.cell.heading ?? run.cell.id}: ${message}`,
        },
      ];
    }
    if (run.status === 'ok') return [];
    return [
      {
        level: run.status === 'error' ? 'error' : 'warning',
        file: runbook,
        line: (run.error?.line ?? run.cell.fenceLine) + 1,
        title: `trailbook: ${run.cell.id} ${run.status}`,
        message: run.error?.message ?? run.status,
      },
    ];
  });
}
