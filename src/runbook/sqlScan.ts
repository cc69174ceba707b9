// Finds `{{…}}` in SQL together with where it sits. A reference may only be replaced in
// plain code: inside a string, quoted identifier or comment, a value's own quotes, `*/` or
// newline could end that context early and become SQL. The rules follow DuckDB's lexer
// (E'…' escapes, $tag$…$tag$, nested /* */), which reads more text as quoted than Athena
// does, so a place that counts as code here is code on both.

export type SqlContext = 'code' | 'string' | 'identifier' | 'comment';

export interface RawReference {
  readonly start: number;
  readonly end: number;
  /** Text between the braces, untrimmed; undefined when `{{` is never closed. */
  readonly inner: string | undefined;
  readonly context: SqlContext;
}

const REFERENCE = /\{\{([^{}]*)\}\}/y;
const REFERENCE_ANYWHERE = /\{\{([^{}]*)\}\}/g;
const DOLLAR_TAG = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/y;

export function isIdentifierChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(ch);
}

export function scanReferences(sql: string): RawReference[] {
  const found: RawReference[] = [];
  // References in quoted text or comments are reported, never replaced.
  const quoted = (from: number, to: number, context: SqlContext) => {
    for (const m of sql.slice(from, to).matchAll(REFERENCE_ANYWHERE)) {
      found.push({ start: from + m.index, end: from + m.index + m[0].length, inner: m[1], context });
    }
  };
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    const next = sql[i + 1];
    const tag = ch === '$' && !isIdentifierChar(sql[i - 1]) ? dollarTagAt(sql, i) : undefined;
    if (ch === '{' && next === '{') {
      REFERENCE.lastIndex = i;
      const m = REFERENCE.exec(sql);
      const end = m ? i + m[0].length : i + 2;
      found.push({ start: i, end, inner: m ? m[1] : undefined, context: 'code' });
      i = end;
    } else if (ch === '-' && next === '-') {
      const end = lineEnd(sql, i);
      quoted(i, end, 'comment');
      i = end;
    } else if (ch === '/' && next === '*') {
      const end = blockCommentEnd(sql, i);
      quoted(i, end, 'comment');
      i = end;
    } else if (ch === "'") {
      const escapes = (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !isIdentifierChar(sql[i - 2]);
      const end = quoteEnd(sql, i, "'", escapes);
      quoted(i, end, 'string');
      i = end;
    } else if (ch === '"') {
      const end = quoteEnd(sql, i, '"', false);
      quoted(i, end, 'identifier');
      i = end;
    } else if (tag) {
      const close = sql.indexOf(tag, i + tag.length);
      const end = close < 0 ? sql.length : close + tag.length;
      quoted(i, end, 'string');
      i = end;
    } else {
      i += 1;
    }
  }
  return found;
}

function lineEnd(sql: string, from: number): number {
  const nl = sql.indexOf('\n', from);
  return nl < 0 ? sql.length : nl;
}

function blockCommentEnd(sql: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

/** End (exclusive) of a quoted run starting at `from`; a doubled quote stays inside. */
function quoteEnd(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < sql.length) {
    if (backslashEscapes && sql[i] === '\\') {
      i += 2;
    } else if (sql[i] === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i += 2;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

function dollarTagAt(sql: string, at: number): string | undefined {
  DOLLAR_TAG.lastIndex = at;
  return DOLLAR_TAG.exec(sql)?.[0];
}
