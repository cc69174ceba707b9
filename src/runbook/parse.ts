// Markdown → Runbook. Never throws on bad input: whatever can be understood is returned,
// and everything else becomes a problem at the line a person has to fix.
import type { MarkdownIt, Token } from 'markdown-it';
import type { Runbook, RunbookAction, RunbookCell, RunbookOutline, RunbookProblem } from './types';
import { problem } from './problems';
import { locateFrontMatter, readFrontMatter, type FrontMatter } from './frontMatter';
import { readCell } from './cell';
import { checkCells } from './checkCells';
import { ACTION_LANGUAGE, checkActions, placeAction, readAction } from './action';

let md: MarkdownIt | undefined;
/**
 * Made on the first parse, not when this module loads: markdown-it and its entity and link
 * tables are over 100 KB to evaluate, and the editor's activation loads this module without
 * parsing anything (scripts/build.mjs gives the library a file of its own, out/markdownIt.js).
 * html: true so block structure matches what GitHub shows reviewers.
 */
function markdown(): MarkdownIt {
  md ??= new (require('markdown-it') as typeof import('markdown-it').default)({ html: true });
  return md;
}

export function parseRunbook(text: string, path: string): Runbook {
  const read = readBlocks(text, path);
  const { lines, frontMatter, cells, problems } = read;
  const actions: RunbookAction[] = [];
  for (const { token, heading } of read.actionFences) {
    const action = readAction(token, actions.length, heading, lines);
    actions.push(action.action);
    problems.push(...action.problems);
  }
  problems.push(...checkCells(cells, frontMatter.params));
  problems.push(...checkActions(actions, cells, frontMatter.params));
  problems.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  return { ...read.header, cells, actions, problems };
}

/**
 * The runbook's outline (types.ts RunbookOutline): the same blocks at the same places as
 * parseRunbook gives, but each action's command is not read by the shell parser, and no
 * problem is kept. What the CodeLenses and the status bar show; never what runs.
 */
export function parseRunbookOutline(text: string, path: string): RunbookOutline {
  const read = readBlocks(text, path);
  const actions = read.actionFences.map(({ token, heading }, index) => placeAction(token, index, heading, read.lines).action);
  return { ...read.header, cells: read.cells, actions };
}

/** What a runbook and its outline share: the front matter, the cells whole, and the action fences still to read. */
interface ReadBlocks {
  readonly lines: readonly string[];
  readonly frontMatter: FrontMatter;
  readonly header: Omit<Runbook, 'cells' | 'actions' | 'problems'>;
  readonly cells: RunbookCell[];
  readonly actionFences: readonly { readonly token: Token; readonly heading: string | undefined }[];
  readonly problems: RunbookProblem[];
}

function readBlocks(text: string, path: string): ReadBlocks {
  // The same line breaks markdown-it recognises, so indices here match its token.map.
  const lines = text.split(/\r\n|\r|\n/);
  const problems: RunbookProblem[] = [];
  let frontMatter: FrontMatter = { tags: [], params: [] };
  let body = lines;

  const located = locateFrontMatter(lines);
  if (located === 'unterminated') {
    problems.push(problem(0, 'front-matter-unterminated', 'the front matter starting with --- is never closed; add a line --- after it'));
  } else if (located) {
    const read = readFrontMatter(lines.slice(1, located.closeLine).join('\n'), 1);
    frontMatter = read.frontMatter;
    problems.push(...read.problems);
    // Blank lines instead of the front matter keep markdown-it's line numbers those of the file.
    body = lines.map((line, i) => (i <= located.closeLine ? '' : line));
  }

  const cells: RunbookCell[] = [];
  const actionFences: { token: Token; heading: string | undefined }[] = [];
  let heading: string | undefined;
  let firstH1: string | undefined;
  const tokens = markdown().parse(body.join('\n'), {});
  tokens.forEach((token, i) => {
    if (token.type === 'heading_open') {
      heading = plainText(tokens[i + 1]);
      if (token.tag === 'h1' && firstH1 === undefined) firstH1 = heading;
    } else if (token.type === 'fence' && /^cloudtrail(?:\s|$)/.test(token.info)) {
      const read = readCell(token, cells.length, heading, lines);
      cells.push(read.cell);
      problems.push(...read.problems);
    } else if (token.type === 'fence' && ACTION_LANGUAGE.test(token.info)) {
      actionFences.push({ token, heading });
    }
  });

  const header = {
    path,
    title: frontMatter.title ?? firstH1 ?? fileTitle(path),
    ...(frontMatter.description !== undefined ? { description: frontMatter.description } : {}),
    tags: frontMatter.tags,
    ...(frontMatter.window !== undefined ? { window: frontMatter.window } : {}),
    ...(frontMatter.source !== undefined ? { source: frontMatter.source } : {}),
    ...(frontMatter.accounts !== undefined ? { accounts: frontMatter.accounts } : {}),
    ...(frontMatter.reviewed !== undefined ? { reviewed: frontMatter.reviewed } : {}),
    params: frontMatter.params,
  };
  return { lines, frontMatter, header, cells, actionFences, problems };
}

/** Heading text as a reader sees it: markup such as ** and ` removed. */
function plainText(inline: Token | undefined): string {
  const parts = (inline?.children ?? []).map((child) => {
    if (child.type === 'softbreak' || child.type === 'hardbreak') return ' ';
    return child.type === 'text' || child.type === 'code_inline' ? child.content : '';
  });
  return parts.join('').trim();
}

function fileTitle(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  return name.replace(/\.(?:md|markdown)$/i, '') || path;
}
