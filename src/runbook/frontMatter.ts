// Front matter: YAML between a first line `---` and the next `---` line. It is read with a
// line counter so every problem points at the Markdown line a person has to edit.
import type { Runbook, RunbookProblem } from './types';
import { problem } from './problems';
import { readParams, type LineOf } from './params';
import { parseTimestamp, parseWindow, windowText } from './window';
import { isSource, sourceError } from './sources';
import { parseProfileList, parseSsoSession } from './accounts';
import { yaml } from './yamlLibrary';

/** What the front matter says of a runbook: its fields, the title being optional here. */
export type FrontMatter = Pick<Runbook, 'description' | 'tags' | 'window' | 'source' | 'accounts' | 'reviewed' | 'params'> & {
  readonly title?: string;
};

/** Where the front matter is: YAML on lines [1, closeLine), or `unterminated`. */
export function locateFrontMatter(lines: readonly string[]): { closeLine: number } | 'unterminated' | undefined {
  if (lines[0]?.replace(/^\uFEFF/, '').trimEnd() !== '---') return undefined;
  const closeLine = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---');
  if (closeLine > 0) return { closeLine };
  return 'unterminated';
}

const FIELDS = ['title', 'description', 'tags', 'window', 'source', 'profiles', 'sso-session', 'reviewed', 'params'];

/** Reads the YAML text whose first line is Markdown line `firstLine`. */
export function readFrontMatter(yamlText: string, firstLine: number): { frontMatter: FrontMatter; problems: RunbookProblem[] } {
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const problems: RunbookProblem[] = [];
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => firstLine + counter.linePos(offset).line - 1;
  const lineOf: LineOf = (node, fallback) => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? lineAt(range[0]) : fallback;
  };
  for (const error of doc.errors) {
    problems.push(problem(lineAt(error.pos[0]), 'yaml-syntax', `front matter is not valid YAML: ${error.message.split('\n')[0]}`));
  }
  const empty: FrontMatter = { tags: [], params: [] };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { frontMatter: empty, problems };
  if (!isMap(root)) {
    problems.push(
      problem(lineOf(root, firstLine), 'invalid-front-matter', 'front matter must be a map of fields such as title: and window:'),
    );
    return { frontMatter: empty, problems };
  }

  const result: { -readonly [K in keyof FrontMatter]: FrontMatter[K] } = { tags: [], params: [] };
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const line = lineOf(pair.value, lineOf(pair.key, firstLine));
    const node = pair.value;
    const value = isScalar(node) ? node.value : node;
    const bad = (code: string, message: string) => problems.push(problem(line, code, message));
    switch (key) {
      case 'title':
      case 'description':
        if (typeof value === 'string' || typeof value === 'number') result[key] = String(value);
        else if (value !== null) bad(`invalid-${key}`, `${key} must be text`);
        break;
      case 'tags':
        if (isSeq(node) && node.items.every((item) => isScalar(item) && typeof item.value === 'string')) {
          result.tags = node.items.map((item) => String((item as { value: string }).value));
        } else if (value !== null) bad('invalid-tags', 'tags must be a list of words, e.g. tags: [iam, credentials]');
        break;
      case 'window': {
        const text = readWindow(node, value);
        if (text === undefined) {
          bad(
            'invalid-window',
            `window ${JSON.stringify(value)} is not valid; use 90m, 24h, 7d or { start: 2024-05-01T00:00:00Z, end: 2024-05-02T00:00:00Z }`,
          );
          break;
        }
        const parsed = parseWindow(text);
        if ('error' in parsed) bad('invalid-window', parsed.error);
        else result.window = text;
        break;
      }
      case 'source':
        if (isSource(value)) result.source = value;
        else bad('invalid-source', sourceError(value));
        break;
      case 'profiles': {
        const read = parseProfileList(isSeq(node) ? node.items.map((item) => (isScalar(item) ? item.value : item)) : value);
        if ('error' in read) bad('invalid-profiles', read.error);
        else if (result.accounts?.ssoSession !== undefined) bad('invalid-profiles', 'give profiles or sso-session, not both');
        else result.accounts = { profiles: read.profiles };
        break;
      }
      case 'sso-session': {
        const read = parseSsoSession(value);
        if ('error' in read) bad('invalid-sso-session', read.error);
        else if (result.accounts?.profiles !== undefined) bad('invalid-sso-session', 'give profiles or sso-session, not both');
        else result.accounts = { ssoSession: read.ssoSession };
        break;
      }
      case 'reviewed':
        if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && parseTimestamp(value)) result.reviewed = value;
        else bad('invalid-reviewed', `reviewed ${JSON.stringify(value)} is not a date; write the day of the last review as YYYY-MM-DD`);
        break;
      case 'params': {
        const read = readParams(node, line, lineOf);
        result.params = read.params;
        problems.push(...read.problems);
        break;
      }
      default:
        problems.push(
          problem(
            lineOf(pair.key, firstLine),
            'unknown-front-matter-key',
            `unknown front matter field ${JSON.stringify(key)}; known fields are ${FIELDS.join(', ')}`,
            'warning',
          ),
        );
    }
  }
  return { frontMatter: result, problems };
}

/** Window text from `7d` or `{start, end}`; undefined when the shape is wrong. */
function readWindow(node: unknown, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!yaml().isMap(node) || node.items.length !== 2) return undefined;
  const start = node.get('start');
  const end = node.get('end');
  return typeof start === 'string' && typeof end === 'string' ? windowText(start, end) : undefined;
}
