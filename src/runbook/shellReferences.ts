// Finds the `{{…}}` references of a response action and decides, from the shell's own syntax
// tree (shellSyntax.ts), whether each may be replaced by a quoted value. The rule is an
// allow-list: a reference is substituted only as a whole word (or after a flag such as
// `--name=`) that is an argument of a simple command whose program the runbook writes
// literally, reached only through lists, pipelines, groups, if, while, for and case bodies.
// Everything else is refused with the reason: quotes, $( ), heredocs, redirections,
// assignments, arithmetic, [[ ]], function bodies… And the program itself must not be one
// that turns a plain argument into a program, code, a file to write or a variable name
// (actionPrograms.ts), nor feed its output to one through a pipe.
//
// The text is parsed as bash and, when it is also valid POSIX sh, as sh too: /bin/sh is dash
// on Debian but bash on macOS, so a reference must be safe in both readings.
import {
  FIND_EXEC,
  VARIABLE_TEST,
  codeSubcommand,
  isCodeOption,
  isFileOption,
  programName,
  programRole,
  subcommandDepth,
} from './actionPrograms';
import { parseShell, ShellSyntaxError, type FlatNode, type ShellTree } from './shellSyntax';

export type RefusalCode =
  | 'reference-not-a-word' // quoted, glued, or where the shell reads the text again
  | 'reference-as-command' // its value would choose the program
  | 'reference-as-code' // its value would be run as code
  | 'reference-as-file' // its value would name a file to write, or a redirection
  | 'reference-in-assignment'; // its value would set a variable (or name one)

export interface Refusal {
  readonly code: RefusalCode;
  /** Why, said to the runbook's author. */
  readonly reason: string;
}

export interface ShellReference {
  readonly start: number;
  readonly end: number;
  /** Text between the braces, untrimmed; undefined when `{{` is never closed. */
  readonly inner: string | undefined;
  /** In a `#` comment: never run, so never replaced or checked. */
  readonly inComment: boolean;
  /** Why it may not be replaced; undefined when it may. */
  readonly refusal?: Refusal;
  /** What stands before it in its word: '' for a whole word, else a flag such as `--name=`. */
  readonly prefix: string;
  /** A literal `--` comes before it among its command's arguments: programs then read no option. */
  readonly afterDoubleDash: boolean;
}

export interface ShellReferences {
  readonly references: readonly ShellReference[];
  /** The command is not valid shell: every reference is refused, and this says where. */
  readonly syntaxError?: ShellSyntaxError;
}

const REFERENCE = /\{\{([^{}]*)\}\}/y;
/**
 * What may stand before a reference in the same word: a flag or name ending in `=`, made of
 * characters that mean nothing to the shell (`--user-name={{u}}`, `Key={{k}}`). It starts with
 * a letter after optional dashes because zsh expands a word starting with `=`.
 */
const SAFE_PREFIX = /^-{0,2}[A-Za-z][A-Za-z0-9_.:,@+%/-]*=$/;
/** What may follow a reference: the end of the word. Not `<` or `>`: a value `2` before `>` would pick a file descriptor. */
const WORD_END = /^[ \t\n;&|()]$/;

export function findShellReferences(command: string): ShellReferences {
  const spans = referenceSpans(command);
  // Each reference is parsed as a plain word of the same length, so offsets stay valid and a
  // reference with spaces inside the braces ({{ c.k }}) is still one word to the parser.
  let placeholder = command;
  for (const span of spans) {
    if (span.inner !== undefined)
      placeholder = placeholder.slice(0, span.start) + 'x'.repeat(span.end - span.start) + placeholder.slice(span.end);
  }
  let bash: ShellTree;
  try {
    bash = parseShell(placeholder, 'bash');
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
    const refusal: Refusal = {
      code: 'reference-not-a-word',
      reason: `the command is not valid shell (${error.message}), so where it stands is unknown`,
    };
    return { syntaxError: error, references: spans.map((s) => ({ ...s, inComment: false, refusal, prefix: '', afterDoubleDash: false })) };
  }
  let posix: ShellTree | undefined;
  try {
    posix = parseShell(placeholder, 'posix');
  } catch (error) {
    // Bash-only syntax: dash would refuse the whole command, so only bash's reading can run.
    if (!(error instanceof ShellSyntaxError)) throw error;
  }
  const definer = definesCommands(bash, command);
  const references = spans.map((span): ShellReference => {
    const inBash = judge(bash, command, span, spans);
    const inPosix = posix ? judge(posix, command, span, spans) : undefined;
    const verdict = inBash.refusal || inBash.inComment || !inPosix?.refusal ? inBash : inPosix;
    if (definer && !verdict.refusal && !verdict.inComment && span.inner !== undefined) {
      // `f() { "$@"; }; f {{x}}` runs the value: once a name can mean code written here, no
      // command name in the action says what its program does.
      return {
        ...span,
        ...verdict,
        refusal: {
          code: 'reference-as-code',
          reason: `the action defines ${definer}, so a command name in it may run code of the action rather than the program it names; write the commands without it`,
        },
      };
    }
    return { ...span, ...verdict };
  });
  return { references };
}

/** Builtins after which a command name may mean code the action loaded: aliases, sourced or evaluated functions. */
const REDEFINERS = new Set(['alias', 'eval', 'source', '.', 'enable', 'hash']);

/**
 * What in the action can make a command name mean something else than the program it names
 * (a function, an alias, or code from eval or source), said for a message; undefined when
 * nothing does.
 */
function definesCommands(tree: ShellTree, command: string): string | undefined {
  const fn = tree.nodes.find((n) => n.type === 'FuncDecl');
  if (fn) return `the function ${(fn.node.Name as { Value?: string } | undefined)?.Value ?? ''}`.trimEnd();
  for (const call of tree.nodes.filter((n) => n.type === 'CallExpr')) {
    for (const arg of (call.node.Args as unknown[] | undefined) ?? []) {
      const word = tree.flat(arg);
      const program = word && programName(wordValue(command, word) ?? '');
      if (program && REDEFINERS.has(program)) return program === 'alias' ? 'an alias' : `commands through ${program}`;
      // Only the command name counts (find . -name x is no `.`), or a name after a wrapper: builtin alias…
      if (programRole(program ?? '') !== 'runs-program') break;
    }
  }
  return undefined;
}

interface Span {
  readonly start: number;
  readonly end: number;
  readonly inner: string | undefined;
}

/** Every `{{…}}` and every `{{` never closed, in order. */
function referenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  let i = text.indexOf('{{');
  while (i >= 0) {
    REFERENCE.lastIndex = i;
    const m = REFERENCE.exec(text);
    spans.push(m ? { start: i, end: i + m[0].length, inner: m[1] } : { start: i, end: i + 2, inner: undefined });
    i = text.indexOf('{{', m ? i + m[0].length : i + 2);
  }
  return spans;
}

type Verdict = Omit<ShellReference, keyof Span>;

const refuse = (code: RefusalCode, reason: string): { refusal: Refusal } => ({ refusal: { code, reason } });

/** Where a reference may sit on the way down to its command: structure that only sequences commands. */
const TRANSPARENT = new Set([
  'File',
  'Stmt',
  'BinaryCmd',
  'Block',
  'Subshell',
  'IfClause',
  'WhileClause',
  'ForClause',
  'CaseClause',
  'CaseItem',
  'TimeClause',
]);

function judge(tree: ShellTree, command: string, span: Span, spans: readonly Span[]): Verdict {
  const plain: Verdict = { inComment: false, prefix: '', afterDoubleDash: false };
  const chain = tree.nodes.filter((n) => n.start <= span.start && span.end <= n.end && n.end > n.start && !besideHeredoc(tree, n, span));
  if (chain.some((n) => n.type === 'Comment')) return { ...plain, inComment: true };
  if (span.inner === undefined) return plain; // reported as malformed by the caller

  for (const [i, node] of chain.entries()) {
    if (node.type === 'CallExpr') return { ...plain, ...inCommand(tree, command, node, chain.slice(i + 1), span, spans) };
    if (node.type === 'BinaryCmd') {
      const piped = pipeRefusal(tree, command, node, span);
      if (piped) return { ...plain, ...piped };
      continue;
    }
    if (node.type === 'Word' && i + 1 < chain.length) {
      // A word outside a simple command's arguments: the word list of for, a case pattern…
      return { ...plain, ...refuse(...outsideArguments(chain[i - 1]?.type)) };
    }
    if (!TRANSPARENT.has(node.type)) return { ...plain, ...refuse(...contextRefusal(tree, node, command, span)) };
  }
  return { ...plain, ...refuse('reference-not-a-word', 'it is not an argument of a command') };
}

/**
 * A heredoc's redirection spans from its operator to the end of its body, over the rest of
 * the operator's line (`cat <<EOF > out {{x}}`), which is not inside it.
 */
function besideHeredoc(tree: ShellTree, node: FlatNode, span: Span): boolean {
  if (node.type !== 'Redirect') return false;
  const word = tree.flat(node.node.Word);
  const body = tree.flat(node.node.Hdoc);
  if (!word || !body) return false;
  return span.start >= word.end && span.end <= body.start;
}

/** The reference is inside this simple command; `below` is the chain under it. */
function inCommand(
  tree: ShellTree,
  command: string,
  call: FlatNode,
  below: readonly FlatNode[],
  span: Span,
  spans: readonly Span[],
): Partial<Verdict> {
  const [word, ...parts] = below;
  if (!word || word.type === 'Assign' || word.type !== 'Word') {
    return refuse(
      'reference-in-assignment',
      'it is in a variable assignment (X=… cmd or X=…), and a variable is read as configuration by the program and everything it starts (PATH, LD_PRELOAD, BASH_ENV, AWS_CONFIG_FILE…); pass the value as an argument instead',
    );
  }
  // Inside the word: quotes, $( ), ${ }… come before any judgement of the command.
  const part = parts.find((p) => p.type !== 'Lit');
  if (part) return refuse(...contextRefusal(tree, part, command, span));
  const prefix = command.slice(word.start, span.start);
  if (prefix !== '' && !SAFE_PREFIX.test(prefix)) {
    return refuse(
      'reference-not-a-word',
      `it is glued to ${JSON.stringify(prefix)} before it; put a space between them (only a flag ending in =, such as --name={{x}}, may touch it)`,
    );
  }
  const after = command[span.end];
  if (span.end < word.end || (after !== undefined && !WORD_END.test(after))) {
    return refuse('reference-not-a-word', `it is glued to ${JSON.stringify(after ?? '')} after it; put a space between them`);
  }

  const args = ((call.node.Args as unknown[]) ?? []).map((a) => tree.flat(a)!);
  const index = args.findIndex((a) => a.start === word.start && a.end === word.end);
  if (index === 0) {
    return refuse(
      'reference-as-command',
      'it stands where the command name goes, so a value would choose the program to run; write the command yourself and pass the reference as an argument',
    );
  }
  const [name] = args;
  // The word is one of the command's arguments (the chain says so); refuse rather than guess if not.
  if (name === undefined)
    return refuse('reference-as-command', 'its command has no program name the runbook writes, so it is unknown what receives the value');
  const nameText = command.slice(name.start, name.end);
  const chooser = spans.find((s) => s.start < name.end && name.start < s.end);
  const literal = wordValue(command, name);
  if (chooser || literal === undefined || literal === '') {
    return refuse(
      'reference-as-command',
      `the program of its command, ${nameText}, is not written literally in the runbook, so it is unknown what receives the value`,
    );
  }
  const program = programName(literal);
  // Words the shell may still expand ($x, `…`) are '' here: neither an option nor a subcommand.
  const literals = args.slice(1).map((a) => wordValue(command, a) ?? '');
  const before = literals.slice(0, index - 1);
  const afterDoubleDash = before.includes('--');
  const verdict = (refusal: Partial<Verdict>): Partial<Verdict> => ({ prefix, afterDoubleDash, ...refusal });

  switch (programRole(program)) {
    case 'runs-program':
      return verdict(
        refuse(
          'reference-as-command',
          `${program} runs its arguments as a command (or sets how one runs), so a value there could choose the program to run`,
        ),
      );
    case 'runs-code':
      return verdict(
        refuse(
          'reference-as-code',
          `${program} reads its arguments as code (a script, a program, commands or a file of them), so a value there could be run`,
        ),
      );
    case 'writes-file':
      return verdict(
        refuse(
          'reference-as-file',
          `${program} writes, replaces, fetches or removes what its arguments name, so a value there would choose a file (or an address) to act on`,
        ),
      );
    case 'names-variable':
      return verdict(
        refuse(
          'reference-in-assignment',
          `${program} takes variable names, and bash evaluates a name such as a[$(…)], running the command in it`,
        ),
      );
    case undefined:
      break;
  }
  const sub = codeSubcommand(program, literals);
  if (sub)
    return verdict(
      refuse(
        'reference-as-code',
        `${program} ${sub.join(' ')} runs code elsewhere (a command, a container, a function), so a value in it could choose what runs`,
      ),
    );
  const positionalsBefore = before.filter((w) => w !== '' && !w.startsWith('-')).length;
  if (positionalsBefore < subcommandDepth(program)) {
    return verdict(
      refuse(
        'reference-as-command',
        `it stands before ${program}'s subcommand is written, so a value could choose the subcommand; write the subcommand first`,
      ),
    );
  }
  if (program === 'find' && before.some((w) => FIND_EXEC.has(w))) {
    return verdict(refuse('reference-as-code', 'it follows find -exec (or -execdir, -ok, -okdir), which runs those words as a command'));
  }
  if (
    (program === 'test' || program === '[' || program === 'printf') &&
    literals.some((w) => VARIABLE_TEST.has(w) || (program === 'printf' && w === '-v'))
  ) {
    return verdict(
      refuse(
        'reference-in-assignment',
        `${program} with -v takes a variable name, and bash evaluates a name such as a[$(…)], running the command in it`,
      ),
    );
  }
  if (program === 'printf' && !before.some((w) => w !== '--' && !w.startsWith('-'))) {
    return verdict(
      refuse(
        'reference-as-code',
        "it is printf's format, whose % and \\ sequences printf interprets; write the format yourself (printf '%s\\n' {{x}})",
      ),
    );
  }
  const option = prefix !== '' ? prefix : (before.at(-1) ?? '');
  if (isCodeOption(option))
    return verdict(
      refuse('reference-as-code', `it is the value of ${option.replace(/=$/, '')}, an option whose value is a program or code`),
    );
  if (isFileOption(option))
    return verdict(
      refuse(
        'reference-as-file',
        `it is the value of ${option.replace(/=$/, '')}, an option whose value is a file to write; if it is not one here, write -- before the reference`,
      ),
    );
  return verdict({});
}

/** In a pipeline, the commands after the reference's command read its output: none may run it. */
function pipeRefusal(tree: ShellTree, command: string, binary: FlatNode, span: Span): Partial<Verdict> | undefined {
  const left = tree.flat(binary.node.X);
  const right = tree.flat(binary.node.Y);
  if (!left || !right || span.start >= left.end) return undefined;
  // The operator stands between the two sides: |, |&, &&, || (comments come only after it).
  const operator = command.slice(left.end, right.start).trimStart();
  if (!operator.startsWith('|') || operator.startsWith('||')) return undefined;
  const reader = pipeReader(tree, command, binary.node.Y);
  return reader ? refuse('reference-as-code', `its command's output goes through a pipe into ${reader}`) : undefined;
}

/** Why the statement reading a pipe could run what it reads, or undefined when it is a plain program. */
function pipeReader(tree: ShellTree, command: string, stmt: unknown): string | undefined {
  const cmd = tree.flat((stmt as { Cmd?: unknown } | undefined)?.Cmd);
  if (!cmd) return 'a command that is not a program';
  if (cmd.type === 'BinaryCmd') return pipeReader(tree, command, cmd.node.X) ?? pipeReader(tree, command, cmd.node.Y);
  if (cmd.type !== 'CallExpr') return `a ${cmd.type} (a group, loop or function), which may run what it reads`;
  const first = tree.flat((cmd.node.Args as unknown[] | undefined)?.[0]);
  const literal = first ? wordValue(command, first) : undefined;
  if (!literal || literal.includes('{{')) return 'a command whose program is not written literally';
  const program = programName(literal);
  const role = programRole(program);
  if (role === 'runs-program' || role === 'runs-code' || READS_CODE_FROM_INPUT.has(program))
    return `${program}, which can run what it reads`;
  return undefined;
}

/** Readers that take commands on their input, beyond the programs that take them as arguments. */
const READS_CODE_FROM_INPUT = new Set([
  'kubectl',
  'oc',
  'docker',
  'podman',
  'terraform',
  'mail',
  'mailx',
  'sendmail',
  'ftp',
  'sftp',
  'ssh-add',
]);

/**
 * The value of a word as the program receives it, when the runbook writes it out: quotes and
 * backslashes removed. Undefined for a word the shell expands ($x, `…`, $(…)), whose value
 * is not in the text.
 */
function wordValue(command: string, word: FlatNode): string | undefined {
  const text = command.slice(word.start, word.end);
  return /[$`]/.test(text) ? undefined : text.replace(/\\(.)|['"]/gs, '$1');
}

function outsideArguments(parentType: string | undefined): [RefusalCode, string] {
  switch (parentType) {
    case 'WordIter':
    case 'ForClause':
      return ['reference-not-a-word', 'it is in the word list of for, where a value is split and globbed into several words'];
    case 'CaseClause':
    case 'CaseItem':
      return ['reference-not-a-word', 'it is a case word or pattern, where a value is matched as a pattern'];
    case 'ArrayElem':
    case 'ArrayExpr':
    case 'Assign':
      return ['reference-in-assignment', 'it is in a variable assignment; pass the value as an argument instead'];
    default:
      return ['reference-not-a-word', `it is inside ${parentType ?? 'a construct'}, not an argument of a command`];
  }
}

/** Why a reference may not stand inside this node (a part of a word, or a shell construct). */
function contextRefusal(tree: ShellTree, node: FlatNode, command: string, span: Span): [RefusalCode, string] {
  switch (node.type) {
    case 'SglQuoted':
    case 'DblQuoted':
      return ['reference-not-a-word', 'remove the quotes around it (the value brings its own)'];
    case 'CmdSubst':
      return node.node.Backquotes
        ? ['reference-not-a-word', 'it is inside `…`, whose text the shell reads a second time; pass it to a command of its own']
        : [
            'reference-not-a-word',
            'it is inside $( … ), whose output the shell splits into words (and options, or the program) of another command',
          ];
    case 'ProcSubst':
      return ['reference-not-a-word', 'it is inside <( … ) or >( … ), whose output becomes a file another command reads'];
    case 'ArithmExp':
    case 'ArithmCmd':
    case 'LetClause':
    case 'CStyleLoop':
      return [
        'reference-not-a-word',
        'it is inside $(( … )), (( … )) or let, where bash evaluates a value as arithmetic (and runs the commands in a[$(…)])',
      ];
    case 'TestClause':
      return [
        'reference-not-a-word',
        'it is inside [[ … ]], where bash may evaluate a value as arithmetic (and run the commands in a[$(…)]); use [ … ] instead',
      ];
    case 'Redirect': {
      const hdoc = node.node.Hdoc as unknown;
      const isHeredocBody = hdoc !== null && hdoc !== undefined && command.lastIndexOf('\n', span.start) > node.start;
      const word = tree.flat(node.node.Word);
      if (hdoc && word && span.start >= word.start && span.end <= word.end) {
        return ['reference-not-a-word', "it is a heredoc's delimiter (<<), which decides where the heredoc ends; write it yourself"];
      }
      return isHeredocBody
        ? ['reference-not-a-word', 'it is inside a heredoc (<<), where a value is not a word; pass it as an argument instead']
        : [
            'reference-as-file',
            'it is the target of a redirection (>, >>, <, <<<…), so a value would choose a file to write or read; write the file name yourself',
          ];
    }
    case 'Assign':
    case 'DeclClause':
    case 'ArrayExpr':
      return [
        'reference-in-assignment',
        'it is in a variable assignment or declaration (export, local, declare…): pass the value as an argument instead',
      ];
    case 'FuncDecl':
      return ['reference-as-code', 'it is inside a function definition; write the commands without a function'];
    case 'ParamExp':
      return [
        'reference-not-a-word',
        `it is glued to ${JSON.stringify(command.slice(node.start, span.start))} before it; put a space between them`,
      ];
    case 'WordIter':
      return ['reference-not-a-word', 'it is in the word list of for, where a value is split and globbed into several words'];
    case 'CoprocClause':
      return [
        'reference-as-code',
        'it is inside coproc, which runs a command in the background with its input and output connected to the shell',
      ];
    default:
      return ['reference-not-a-word', `it is inside shell syntax (${node.type}) where a value is not a plain argument`];
  }
}
