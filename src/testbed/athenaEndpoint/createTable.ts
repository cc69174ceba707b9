// Athena's DDL is Hive's: `CREATE EXTERNAL TABLE … PARTITIONED BY … ROW FORMAT SERDE …
// STORED AS INPUTFORMAT … OUTPUTFORMAT … LOCATION … TBLPROPERTIES (…)`, names in backticks,
// values in single quotes. This reads that statement (what `trailbook athena ddl` prints,
// and the same statement written by hand with other spacing, case or clause order) into its
// parts; tableCatalog.ts decides whether the endpoint can serve it. Hive reports what it
// cannot read as `ParseException line L:C …`, which Athena passes on in StateChangeReason.

export interface HiveColumn {
  /** Lower case, as Glue keeps names. */
  readonly name: string;
  /** Hive type text, lower case, without white space: `struct<type:string,arn:string>`. */
  readonly type: string;
}

export interface CreateTable {
  readonly database?: string;
  readonly name: string;
  readonly ifNotExists: boolean;
  readonly columns: readonly HiveColumn[];
  readonly partitionKeys: readonly HiveColumn[];
  readonly comment?: string;
  readonly serde?: string;
  readonly serdeProperties: Readonly<Record<string, string>>;
  readonly inputFormat?: string;
  readonly outputFormat?: string;
  /** `STORED AS PARQUET` and the like. */
  readonly storedAs?: string;
  readonly location?: string;
  readonly properties: Readonly<Record<string, string>>;
}

export class DdlParseError extends Error {
  constructor(line: number, column: number, detail: string) {
    super(`ParseException line ${line}:${column} ${detail}`);
  }
}

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'name'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly at: number }
  | { readonly kind: 'punct'; readonly text: string; readonly at: number }
  | { readonly kind: 'end'; readonly text: ''; readonly at: number };

const PUNCT = new Set(['(', ')', ',', '.', '=', ';']);
const SPACE = /\s+|--[^\n]*/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

class Scanner {
  private at = 0;

  constructor(private readonly sql: string) {}

  private fail(offset: number, detail: string): never {
    const before = this.sql.slice(0, offset).split('\n');
    throw new DdlParseError(before.length, (before.at(-1) ?? '').length, detail);
  }

  /** Sticky patterns read at `at`, so no token copies the rest of a long statement. */
  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.at;
    return pattern.exec(this.sql)?.[0];
  }

  private skipSpace(): void {
    for (let m = this.match(SPACE); m; m = this.match(SPACE)) this.at += m.length;
  }

  peek(): Token {
    const saved = this.at;
    const token = this.next();
    this.at = saved;
    return token;
  }

  next(): Token {
    this.skipSpace();
    const start = this.at;
    const c = this.sql[start];
    if (c === undefined) return { kind: 'end', text: '', at: start };
    const word = this.match(WORD);
    if (word) {
      this.at += word.length;
      return { kind: 'word', text: word, at: start };
    }
    if (c === '`') {
      const end = this.sql.indexOf('`', start + 1);
      if (end < 0) this.fail(start, 'unterminated quoted name');
      this.at = end + 1;
      return { kind: 'name', text: this.sql.slice(start + 1, end), at: start };
    }
    if (c === "'" || c === '"') {
      let text = '';
      for (let i = start + 1; i < this.sql.length; i += 1) {
        const d = this.sql.charAt(i);
        if (d === '\\' && i + 1 < this.sql.length) {
          text += this.sql[i + 1];
          i += 1;
        } else if (d === c) {
          this.at = i + 1;
          return { kind: 'string', text, at: start };
        } else text += d;
      }
      this.fail(start, 'unterminated string literal');
    }
    if (PUNCT.has(c)) {
      this.at += 1;
      return { kind: 'punct', text: c, at: start };
    }
    this.fail(start, `cannot recognize input near '${c}'`);
  }

  /** The keyword or punctuation expected next, or a ParseException naming what was found. */
  expect(text: string): Token {
    const token = this.next();
    if (token.text.toUpperCase() !== text.toUpperCase() || token.kind === 'string' || token.kind === 'name')
      this.unexpected(token, `'${text}'`);
    return token;
  }

  accept(text: string): boolean {
    const token = this.peek();
    if (token.kind === 'string' || token.kind === 'name' || token.text.toUpperCase() !== text.toUpperCase()) return false;
    this.next();
    return true;
  }

  unexpected(token: Token, wanted: string): never {
    this.fail(token.at, `${token.kind === 'end' ? 'reached the end of the statement' : `found '${token.text}'`}, expected ${wanted}`);
  }

  identifier(what: string): string {
    const token = this.next();
    if (token.kind !== 'word' && token.kind !== 'name') this.unexpected(token, what);
    return token.text.toLowerCase();
  }

  string(what: string): string {
    const token = this.next();
    if (token.kind !== 'string') this.unexpected(token, `${what} in quotes`);
    return token.text;
  }

  /** A Hive type: a word, then a balanced `<…>` or `(…)` (struct<…>, array<…>, decimal(10,2)). */
  type(): string {
    const first = this.next();
    if (first.kind !== 'word') this.unexpected(first, 'a column type');
    this.skipSpace();
    const open = this.sql[this.at];
    if (open !== '<' && open !== '(') return first.text.toLowerCase();
    const close = open === '<' ? '>' : ')';
    let depth = 0;
    const start = this.at;
    for (; this.at < this.sql.length; this.at += 1) {
      const c = this.sql[this.at];
      if (c === open) depth += 1;
      else if (c === close) {
        depth -= 1;
        if (depth === 0) {
          this.at += 1;
          return `${first.text}${this.sql.slice(start, this.at)}`.toLowerCase().replace(/\s+/g, '');
        }
      }
    }
    this.fail(start, `unbalanced '${open}' in the type of a column`);
  }

  /** `( 'k' = 'v', … )` */
  properties(): Record<string, string> {
    this.expect('(');
    const out: Record<string, string> = {};
    if (this.accept(')')) return out;
    do {
      const key = this.string('a property name');
      this.expect('=');
      out[key] = this.string('a property value');
    } while (this.accept(','));
    this.expect(')');
    return out;
  }

  /** `( name type [COMMENT 'x'], … )` */
  columns(): HiveColumn[] {
    this.expect('(');
    const out: HiveColumn[] = [];
    do {
      const name = this.identifier('a column name');
      const type = this.type();
      if (this.accept('COMMENT')) this.string('a comment');
      out.push({ name, type });
    } while (this.accept(','));
    this.expect(')');
    return out;
  }
}

/** Reads a CREATE EXTERNAL TABLE statement; throws DdlParseError at the first thing it cannot read. */
export function parseCreateTable(sql: string): CreateTable {
  const s = new Scanner(sql);
  s.expect('CREATE');
  const external = s.peek();
  if (external.text.toUpperCase() !== 'EXTERNAL')
    s.unexpected(external, "'EXTERNAL' (Athena creates Hive tables as CREATE EXTERNAL TABLE)");
  s.next();
  s.expect('TABLE');
  let ifNotExists = false;
  if (s.accept('IF')) {
    s.expect('NOT');
    s.expect('EXISTS');
    ifNotExists = true;
  }
  let database: string | undefined;
  let name = s.identifier('a table name');
  if (s.accept('.')) {
    database = name;
    name = s.identifier('a table name');
  }
  const columns = s.columns();
  const parts: {
    comment?: string;
    partitionKeys?: HiveColumn[];
    serde?: string;
    serdeProperties?: Record<string, string>;
    inputFormat?: string;
    outputFormat?: string;
    storedAs?: string;
    location?: string;
    properties?: Record<string, string>;
  } = {};
  const once = (token: Token, clause: keyof typeof parts): void => {
    if (parts[clause] !== undefined) s.unexpected(token, `no second ${token.text.toUpperCase()} clause`);
  };
  for (;;) {
    const token = s.next();
    const keyword = token.kind === 'word' ? token.text.toUpperCase() : token.text;
    if (token.kind === 'end' || (token.kind === 'punct' && token.text === ';')) {
      if (token.kind === 'punct') {
        const after = s.next();
        if (after.kind !== 'end') s.unexpected(after, 'the end of the statement (one statement a query)');
      }
      break;
    }
    if (keyword === 'COMMENT') {
      once(token, 'comment');
      parts.comment = s.string('the table comment');
    } else if (keyword === 'PARTITIONED') {
      once(token, 'partitionKeys');
      s.expect('BY');
      parts.partitionKeys = s.columns();
    } else if (keyword === 'ROW') {
      once(token, 'serde');
      s.expect('FORMAT');
      s.expect('SERDE');
      parts.serde = s.string('the SerDe class');
      if (s.accept('WITH')) {
        s.expect('SERDEPROPERTIES');
        parts.serdeProperties = s.properties();
      }
    } else if (keyword === 'STORED') {
      once(token, 'inputFormat');
      s.expect('AS');
      if (s.accept('INPUTFORMAT')) {
        parts.inputFormat = s.string('the input format class');
        s.expect('OUTPUTFORMAT');
        parts.outputFormat = s.string('the output format class');
      } else {
        parts.storedAs = s.identifier('a storage format or INPUTFORMAT');
        parts.inputFormat = '';
      }
    } else if (keyword === 'LOCATION') {
      once(token, 'location');
      parts.location = s.string('the LOCATION');
    } else if (keyword === 'TBLPROPERTIES') {
      once(token, 'properties');
      parts.properties = s.properties();
    } else {
      s.unexpected(token, 'COMMENT, PARTITIONED BY, ROW FORMAT SERDE, STORED AS, LOCATION or TBLPROPERTIES');
    }
  }
  return {
    ...(database !== undefined ? { database } : {}),
    name,
    ifNotExists,
    columns,
    partitionKeys: parts.partitionKeys ?? [],
    ...(parts.comment !== undefined ? { comment: parts.comment } : {}),
    ...(parts.serde !== undefined ? { serde: parts.serde } : {}),
    serdeProperties: parts.serdeProperties ?? {},
    ...(parts.inputFormat ? { inputFormat: parts.inputFormat } : {}),
    ...(parts.outputFormat !== undefined ? { outputFormat: parts.outputFormat } : {}),
    ...(parts.storedAs !== undefined ? { storedAs: parts.storedAs } : {}),
    ...(parts.location !== undefined ? { location: parts.location } : {}),
    properties: parts.properties ?? {},
  };
}
