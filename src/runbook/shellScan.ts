// Finds `{{…}}` in a response action's shell text together with where it sits. A reference
// is replaced by one quoted word (shellQuote), which is only the word the author meant when
// the reference stands as a whole word of plain shell code: inside "…" the value's own
// quotes would end the string early; inside `…`, $((…)) or a heredoc the text is read again
// by other rules; glued to other characters it merges into a word nobody checked. The
// scanner follows POSIX sh (plus bash's $'…' and <<<), erring towards "not plain code".

export type ShellContext =
  | 'word' // plain shell code: replaceable when it is a whole word
  | 'single-quoted'
  | 'double-quoted'
  | 'ansi-c-quoted'
  | 'backquoted'
  | 'arithmetic' // $(( )), (( )), let: bash evaluates a[$(…)] in a value, running the command
  | 'conditional' // [[ ]]: -eq and friends evaluate values as arithmetic too
  | 'heredoc'
  | 'comment'; // not run, so never replaced or checked

export interface RawShellReference {
  readonly start: number;
  readonly end: number;
  /** Text between the braces, untrimmed; undefined when `{{` is never closed. */
  readonly inner: string | undefined;
  readonly context: ShellContext;
  /** For `word`: what stands between the start of the shell word and `{{`. */
  readonly prefix: string;
  /** For `word`: true when the word is where a command name goes, so its value would choose the program. */
  readonly commandPosition: boolean;
}

const REFERENCE = /\{\{([^{}]*)\}\}/y;
const REFERENCE_ANYWHERE = /\{\{([^{}]*)\}\}/g;
const BLANK = /[ \t]/;
/** POSIX metacharacters: together with blanks and newlines they end a word. */
const METACHAR = /[|&;<>()]/;
/**
 * Words after which the next word is still a command name: reserved words, and commands
 * whose first argument is the program they run (or, for eval, shell code).
 */
const RESERVED = new Set([
  '!', 'if', 'then', 'else', 'elif', 'while', 'until', 'do', 'time', '{',
  'exec', 'command', 'builtin', 'eval', 'env', 'sudo', 'nohup', 'nice', 'xargs',
]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

export function scanShellReferences(text: string): RawShellReference[] {
  const found: RawShellReference[] = [];
  const inRegion = (from: number, to: number, context: ShellContext) => {
    for (const m of text.slice(from, to).matchAll(REFERENCE_ANYWHERE)) {
      found.push({ start: from + m.index, end: from + m.index + m[0].length, inner: m[1], context, prefix: '', commandPosition: false });
    }
  };
  let i = 0;
  let wordStart = -1;
  let commandStart = true;
  let redirectTarget = false;
  const heredocs: { delimiter: string; stripTabs: boolean }[] = [];

  const beginWord = () => {
    if (wordStart < 0) wordStart = i;
  };
  const endWord = () => {
    if (wordStart < 0) return;
    const word = text.slice(wordStart, i);
    if (redirectTarget) redirectTarget = false;
    else if (commandStart && !RESERVED.has(word) && !ASSIGNMENT.test(word)) commandStart = false;
    wordStart = -1;
  };

  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];
    if (ch === '{' && next === '{') {
      REFERENCE.lastIndex = i;
      const m = REFERENCE.exec(text);
      const end = m ? i + m[0].length : i + 2;
      const prefix = wordStart < 0 ? '' : text.slice(wordStart, i);
      found.push({ start: i, end, inner: m ? m[1] : undefined, context: 'word', prefix, commandPosition: commandStart && !redirectTarget && prefix === '' });
      beginWord();
      i = end;
    } else if (BLANK.test(ch)) {
      endWord();
      i += 1;
    } else if (ch === '\n') {
      endWord();
      commandStart = true;
      redirectTarget = false;
      i += 1;
      // Heredoc bodies start on the line after their operator, one after the other.
      for (const heredoc of heredocs.splice(0)) i = heredocEnd(text, i, heredoc, inRegion);
    } else if (ch === '#' && wordStart < 0) {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? text.length : nl;
      inRegion(i, end, 'comment');
      i = end;
    } else if (ch === '\\') {
      beginWord();
      // A backslash before {{ escapes only the first brace; the reference after it is then
      // glued to the backslash, which the caller reports. Backslash-newline joins lines.
      i += next === '{' ? 1 : 2;
    } else if (ch === "'") {
      beginWord();
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? text.length : close + 1;
      inRegion(i, end, 'single-quoted');
      i = end;
    } else if (ch === '$' && next === "'") {
      beginWord();
      const end = quotedEnd(text, i + 1, "'");
      inRegion(i, end, 'ansi-c-quoted');
      i = end;
    } else if (ch === '"') {
      beginWord();
      const end = quotedEnd(text, i, '"');
      inRegion(i, end, 'double-quoted');
      i = end;
    } else if (ch === '`') {
      beginWord();
      const end = quotedEnd(text, i, '`');
      inRegion(i, end, 'backquoted');
      i = end;
    } else if (ch === '$' && next === '(' && text[i + 2] === '(') {
      beginWord();
      const close = text.indexOf('))', i + 3);
      const end = close < 0 ? text.length : close + 2;
      inRegion(i, end, 'arithmetic');
      i = end;
    } else if (ch === '(' && next === '(' && commandStart && wordStart < 0) {
      const close = text.indexOf('))', i + 2);
      const end = close < 0 ? text.length : close + 2;
      inRegion(i, end, 'arithmetic');
      commandStart = false;
      i = end;
    } else if (commandStart && wordStart < 0 && (startsWord(text, i, '[[') || startsWord(text, i, 'let'))) {
      // Up to ]] for [[, to the end of the command for let.
      const close = text[i] === '[' ? text.indexOf(']]', i + 2) : commandEnd(text, i);
      const end = close < 0 ? text.length : text[i] === '[' ? close + 2 : close;
      inRegion(i, end, text[i] === '[' ? 'conditional' : 'arithmetic');
      commandStart = false;
      i = end;
    } else if (ch === '<' && next === '<' && text[i + 2] !== '<') {
      endWord();
      const read = readHeredocOperator(text, i + 2);
      heredocs.push(read.heredoc);
      i = read.end;
    } else if (METACHAR.test(ch)) {
      endWord();
      if (ch === '<' || ch === '>') {
        redirectTarget = true;
      } else {
        commandStart = ch !== ')';
        redirectTarget = false;
      }
      i += 1;
    } else {
      beginWord();
      i += 1;
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** True when `word` stands at `at` as a whole word. */
function startsWord(text: string, at: number, word: string): boolean {
  const after = text[at + word.length];
  return text.startsWith(word, at) && (after === undefined || BLANK.test(after) || after === '\n' || METACHAR.test(after));
}

/** Where the simple command starting at `from` ends: a newline or a command separator. */
function commandEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) if (/[\n;&|]/.test(text[i]!)) return i;
  return text.length;
}

/** End (exclusive) of a quoted run opened at `from`; a backslash escapes the next character. */
function quotedEnd(text: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === quote) return i + 1;
    else i += 1;
  }
  return text.length;
}

/** `<<WORD`, `<<-WORD`, `<< 'WORD'`: the delimiter with its quotes removed. */
function readHeredocOperator(text: string, from: number): { heredoc: { delimiter: string; stripTabs: boolean }; end: number } {
  let i = from;
  const stripTabs = text[i] === '-';
  if (stripTabs) i += 1;
  while (i < text.length && BLANK.test(text[i])) i += 1;
  let delimiter = '';
  while (i < text.length && !BLANK.test(text[i]) && text[i] !== '\n' && !METACHAR.test(text[i])) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const close = text.indexOf(ch, i + 1);
      const end = close < 0 ? text.length : close;
      delimiter += text.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '\\') {
      delimiter += text[i + 1] ?? '';
      i += 2;
    } else {
      delimiter += ch;
      i += 1;
    }
  }
  return { heredoc: { delimiter, stripTabs }, end: Math.min(i, text.length) };
}

/** Reports the references in a heredoc body starting at `from`; returns where the code resumes. */
function heredocEnd(
  text: string,
  from: number,
  heredoc: { delimiter: string; stripTabs: boolean },
  inRegion: (from: number, to: number, context: ShellContext) => void,
): number {
  let lineStart = from;
  while (lineStart < text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    const line = text.slice(lineStart, lineEnd);
    if ((heredoc.stripTabs ? line.replace(/^\t+/, '') : line) === heredoc.delimiter) {
      inRegion(from, lineStart, 'heredoc');
      return nl < 0 ? text.length : nl + 1;
    }
    lineStart = lineEnd + 1;
  }
  inRegion(from, text.length, 'heredoc');
  return text.length;
}
