// The syntax tree of a response action's command, from a real shell parser (mvdan/sh, the
// parser of shfmt, through the mvdan-sh package) instead of a hand-written scanner. The tree
// is flattened into nodes with UTF-16 offsets in the text, parents before children, so a
// reference's position is the chain of nodes that contain it.
import type { ShNode, ShParseError, ShSyntax } from 'mvdan-sh';

export interface FlatNode {
  /** Go's type name: "CallExpr", "Word", "Lit", "Redirect"… */
  readonly type: string;
  readonly node: ShNode;
  /** UTF-16 offsets into the parsed text, end exclusive. */
  readonly start: number;
  readonly end: number;
}

export interface ShellTree {
  /** Every node, in the parser's walk order: a node comes before the nodes inside it. */
  readonly nodes: readonly FlatNode[];
  /**
   * The entry of a node reached through a field (CallExpr.Args, BinaryCmd.Y…). GopherJS hands
   * out a new wrapper object at each access, so nodes are matched by type and position.
   */
  readonly flat: (node: unknown) => FlatNode | undefined;
}

export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    /** UTF-16 offset of the error in the text. */
    readonly offset: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ShellSyntaxError';
  }
}

export type ShellDialect = 'bash' | 'posix';

let loaded: ShSyntax | undefined;
/**
 * Loaded on first use: the parser is 1.5 MB of JavaScript that takes about 150 ms to
 * evaluate, which a runbook without response actions (and the editor's activation) never pays.
 */
function syntax(): ShSyntax {
  loaded ??= (require('mvdan-sh') as typeof import('mvdan-sh')).syntax;
  return loaded;
}

/** Parses `text` as the given shell dialect; throws ShellSyntaxError where it is not valid. */
export function parseShell(text: string, dialect: ShellDialect): ShellTree {
  const sh = syntax();
  const parser = sh.NewParser(sh.KeepComments(true), sh.Variant(dialect === 'bash' ? sh.LangBash : sh.LangPOSIX));
  const toIndex = byteToIndex(text);
  let file: ShNode;
  try {
    file = parser.Parse(text, 'action');
  } catch (thrown) {
    // A ParseError carries Text; a LangError ("arrays are a bash/mksh feature") only Error().
    const error = thrown as Partial<ShParseError>;
    if (typeof error?.Error !== 'function' || typeof error.Pos?.Offset !== 'function') throw thrown;
    const message = typeof error.Text === 'string' ? error.Text : error.Error().replace(/^action:\d+:\d+: /, '');
    throw new ShellSyntaxError(message, toIndex(error.Pos.Offset()), { cause: thrown });
  }
  const nodes: FlatNode[] = [];
  const byPlace = new Map<string, FlatNode>();
  // Each call into the GopherJS objects costs: type and offsets are read once a node.
  const place = (type: string, from: number, to: number) => `${type}:${from}:${to}`;
  sh.Walk(file, (node) => {
    if (node) {
      const type = sh.NodeType(node);
      const from = node.Pos().Offset();
      const to = node.End().Offset();
      const entry = { type, node, start: toIndex(from), end: toIndex(to) };
      nodes.push(entry);
      // The outermost of two nodes of one type at one place (a Stmt holding a Stmt) is kept.
      const key = place(type, from, to);
      if (!byPlace.has(key)) byPlace.set(key, entry);
    }
    return true;
  });
  const isNode = (value: unknown): value is ShNode => typeof (value as ShNode | null)?.Pos === 'function';
  return {
    nodes,
    flat: (node) => (isNode(node) ? byPlace.get(place(sh.NodeType(node), node.Pos().Offset(), node.End().Offset())) : undefined),
  };
}

/** The parser counts UTF-8 bytes; JavaScript strings count UTF-16 code units. */
function byteToIndex(text: string): (byte: number) => number {
  const indexAt: number[] = [];
  let index = 0;
  for (const ch of text) {
    const bytes = Buffer.byteLength(ch, 'utf8');
    for (let b = 0; b < bytes; b += 1) indexAt.push(index);
    index += ch.length;
  }
  indexAt.push(index);
  // A byte past the end is the end of the text.
  return (byte) => indexAt[Math.max(0, byte)] ?? index;
}
