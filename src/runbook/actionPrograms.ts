// What programs do with their arguments, as far as a response action's references care. A
// reference is only ever a plain argument of a program written in the runbook; these lists
// name the programs for which even a plain argument is not plain: it becomes a program to
// run, code to interpret, a file to write, or a shell variable's name (which bash evaluates:
// `read 'a[$(id)]'` runs id). They err on the side of refusing: a runbook author can always
// write the value into an `aws …` option instead, but a wrapper missing here runs a log value.

export type ProgramRole = 'runs-program' | 'runs-code' | 'writes-file' | 'names-variable';

const RUNS_PROGRAM = [
  // shell builtins that run or redefine what runs
  'exec',
  'command',
  'builtin',
  'eval',
  'source',
  '.',
  'trap',
  'alias',
  'hash',
  'enable',
  'fc',
  'bind',
  'complete',
  'compgen',
  'mapfile',
  'readarray',
  'coproc',
  'time',
  // privilege, identity, namespaces and sandboxes
  'sudo',
  'doas',
  'su',
  'sg',
  'newgrp',
  'runuser',
  'pkexec',
  'setpriv',
  'setuidgid',
  'chpst',
  'capsh',
  'unshare',
  'nsenter',
  'chroot',
  'schroot',
  'fakeroot',
  'fakechroot',
  'proot',
  'firejail',
  'bwrap',
  'sandbox-exec',
  'systemd-run',
  'systemd-nspawn',
  'machinectl',
  'lxc-attach',
  'lxc-execute',
  // wrappers that run their argument with other settings
  'env',
  'nohup',
  'nice',
  'ionice',
  'taskset',
  'chrt',
  'numactl',
  'cpulimit',
  'timeout',
  'gtimeout',
  'stdbuf',
  'unbuffer',
  'setsid',
  'flock',
  'watch',
  'script',
  'caffeinate',
  'arch',
  'rlwrap',
  'torsocks',
  'proxychains',
  'proxychains4',
  'tsocks',
  'dbus-launch',
  'xvfb-run',
  'sshpass',
  'strace',
  'ltrace',
  'gdb',
  'lldb',
  'valgrind',
  'perf',
  'catchsegv',
  'dtruss',
  'entr',
  'chronic',
  'ifne',
  'pv',
  // runners of commands read from arguments or input
  'xargs',
  'parallel',
  'sem',
  'at',
  'batch',
  'crontab',
  'nq',
  'tsp',
  'screen',
  'tmux',
  'expect',
  'busybox',
  'toybox',
  'mpirun',
  'srun',
  'sbatch',
  'qsub',
  'make',
  'gmake',
  'just',
  'ninja',
  'open',
  'xdg-open',
  'gio',
  'start',
  // remote shells and network tools that run or relay commands
  'ssh',
  'rsh',
  'rlogin',
  'mosh',
  'autossh',
  'telnet',
  'nc',
  'ncat',
  'netcat',
  'socat',
  // package runners: the argument names code to fetch and run
  'npx',
  'npm',
  'pnpm',
  'pnpx',
  'yarn',
  'bunx',
  'pip',
  'pip3',
  'pipx',
  'uv',
  'uvx',
  'poetry',
  'gem',
  'bundle',
  'cargo',
  'go',
  'dotnet',
  'java',
  'ansible',
  'ansible-playbook',
  // version control: aliases and -c settings run commands
  'git',
  'hg',
  'svn',
];

const RUNS_CODE = [
  'sh',
  'bash',
  'dash',
  'zsh',
  'ksh',
  'mksh',
  'pdksh',
  'ash',
  'yash',
  'fish',
  'csh',
  'tcsh',
  'rc',
  'es',
  'pwsh',
  'powershell',
  'osascript',
  'awk',
  'gawk',
  'mawk',
  'nawk',
  'sed',
  'gsed',
  'jq',
  'gojq',
  'jaq',
  'yq',
  'm4',
  'dc',
  'bc',
  'ed',
  'ex',
  'vi',
  'vim',
  'nvim',
  'view',
  'emacs',
  'nano',
  'less',
  'more',
  'most',
  'man',
  'sqlite3',
  'psql',
  'mysql',
  'mariadb',
  'redis-cli',
  'mongo',
  'mongosh',
  'perl',
  'python',
  'ruby',
  'node',
  'nodejs',
  'deno',
  'bun',
  'php',
  'lua',
  'luajit',
  'tclsh',
  'wish',
  'R',
  'Rscript',
  'julia',
  'irb',
  'erl',
  'escript',
  'elixir',
  'iex',
  'runghc',
  'runhaskell',
  'ghci',
  'swift',
  'kotlin',
  'scala',
  'groovy',
  'jshell',
  'clojure',
  'racket',
  'guile',
  'sbcl',
  'ocaml',
  'tsx',
  'ts-node',
  'coffee',
  'openssl',
];

const WRITES_FILE = [
  'tee',
  'dd',
  'cp',
  'mv',
  'ln',
  'install',
  'rsync',
  'scp',
  'sftp',
  'ftp',
  'curl',
  'wget',
  'tar',
  'zip',
  'unzip',
  'gzip',
  'gunzip',
  'bzip2',
  'xz',
  'zstd',
  '7z',
  'split',
  'csplit',
  'patch',
  'truncate',
  'touch',
  'mkfifo',
  'mknod',
  'mkdir',
  'rm',
  'rmdir',
  'unlink',
  'shred',
  'chmod',
  'chown',
  'chgrp',
  'chattr',
  'setfacl',
  'uniq',
  'cpio',
  'ar',
  'mount',
  'umount',
  'ssh-keygen',
];

const NAMES_VARIABLE = ['read', 'export', 'readonly', 'declare', 'typeset', 'local', 'unset', 'getopts', 'let', 'shift'];

/** Interpreters carry their version in their name: python3.12, perl5.36, node20, ruby3.3. */
const VERSIONED = /^(?:python|pypy|perl|ruby|node|php|lua|tclsh|wish|bash|zsh|ksh|pwsh|java|jshell)[0-9.]*$/;

const ROLES = new Map<string, ProgramRole>([
  ...RUNS_PROGRAM.map((p) => [p, 'runs-program'] as const),
  ...RUNS_CODE.map((p) => [p, 'runs-code'] as const),
  ...WRITES_FILE.map((p) => [p, 'writes-file'] as const),
  ...NAMES_VARIABLE.map((p) => [p, 'names-variable'] as const),
]);

/**
 * The program a command name starts, as these lists name it: without its folder
 * (/usr/bin/sudo), escapes or quotes (\sudo, 'sudo' still run sudo), and in lower case
 * (macOS finds SUDO as sudo). Undefined when the name is not a literal the runbook wrote.
 */
export function programName(literal: string): string {
  const unquoted = literal.replace(/['"\\]/g, '');
  return unquoted.slice(unquoted.lastIndexOf('/') + 1).toLowerCase();
}

export function programRole(program: string): ProgramRole | undefined {
  return ROLES.get(program) ?? ROLES.get(program.replace(/\.exe$/, '')) ?? (VERSIONED.test(program) ? 'runs-code' : undefined);
}

/**
 * Subcommands that run code elsewhere: the rest of the command line is a program, a script
 * or a function to run in a container, on an instance or in Lambda.
 */
const CODE_SUBCOMMANDS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  aws: [
    ['ssm', 'send-command'],
    ['ssm', 'start-session'],
    ['ssm', 'start-automation-execution'],
    ['ssm', 'create-association'],
    ['ecs', 'execute-command'],
    ['ecs', 'run-task'],
    ['lambda', 'invoke'],
    ['lambda', 'update-function-code'],
    ['glue', 'start-job-run'],
    ['cloudshell'],
  ],
  kubectl: [['exec'], ['run'], ['debug'], ['attach'], ['cp'], ['plugin'], ['apply'], ['create'], ['replace'], ['patch']],
  oc: [['exec'], ['run'], ['debug'], ['rsh'], ['attach'], ['apply'], ['create']],
  docker: [['run'], ['exec'], ['create'], ['build'], ['compose'], ['cp'], ['container', 'run'], ['container', 'exec']],
  podman: [['run'], ['exec'], ['create'], ['build'], ['cp']],
  nerdctl: [['run'], ['exec'], ['create'], ['build']],
  gcloud: [['compute', 'ssh'], ['compute', 'scp'], ['cloud-shell']],
  az: [['vm', 'run-command'], ['ssh']],
};

/**
 * The subcommand of `program` that runs code, if its words stand one after the other among
 * the command's literal arguments (anywhere: `aws --profile p ssm send-command` too).
 */
export function codeSubcommand(program: string, literalArgs: readonly string[]): readonly string[] | undefined {
  return CODE_SUBCOMMANDS[program]?.find((sub) => literalArgs.some((_, at) => sub.every((word, i) => literalArgs[at + i] === word)));
}

/**
 * How many words name a subcommand of `program` (aws iam list-users: 2). A reference must
 * come after that many literal words, or its value would choose the subcommand (`kubectl {{x}}`
 * with the value exec).
 */
export function subcommandDepth(program: string): number {
  return Math.max(0, ...(CODE_SUBCOMMANDS[program] ?? []).map((sub) => sub.length));
}

/** Words of an option's name that make its value a program or code to run. */
const CODE_OPTION_WORDS = new Set([
  'command',
  'cmd',
  'program',
  'exec',
  'shell',
  'rsh',
  'pager',
  'editor',
  'proxycommand',
  'hook',
  'hooks',
  'script',
  'eval',
  'interpreter',
  'callback',
  'plugin',
]);
/** Whole option names whose value runs somewhere (EC2 user data runs at boot). */
const CODE_OPTION_NAMES = new Set(['user-data', 'checkpoint-action', 'e', 'c']);

/**
 * True for an option (`--exec`, `--use-compress-program=`, `-oProxyCommand=`, `--user-data`,
 * `-c`, `-e`) whose value is a program or code: a reference written as its value, glued
 * (`--exec={{x}}`) or as the next word, would be run. Judged by the words of its name,
 * so `--execution-role-arn` (one word "execution") is not one.
 */
export function isCodeOption(word: string): boolean {
  if (!word.startsWith('-')) return false;
  const name = word.replace(/^-+/, '').replace(/=.*$/s, '');
  if (CODE_OPTION_NAMES.has(name.toLowerCase())) return true;
  return name.split(/(?<=[a-z])(?=[A-Z])|[-_.]/).some((part) => CODE_OPTION_WORDS.has(part.toLowerCase()));
}

/** Options whose value is a file to write; `-o` too, although some programs use it otherwise (write `--` first there). */
const FILE_OPTION =
  /^-{1,2}(?:o|output|out|outfile|output-file|output-document|log-file|logfile|write|save|dump|record|destination|dest|target-file|fprint0?|fprintf|fls)(?:=.*)?$/is;

export function isFileOption(word: string): boolean {
  return FILE_OPTION.test(word);
}

/** find's actions that run the words after them, up to `;` or `+`. */
export const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);

/** test and [: with -v or -R an operand is a variable name, which bash evaluates as a[…]. */
export const VARIABLE_TEST = new Set(['-v', '-R']);
