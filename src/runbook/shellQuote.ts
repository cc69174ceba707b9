// POSIX sh quoting of one word. Inside single quotes every character stands for itself,
// newlines included; only `'` itself cannot appear, so it is written as '\'' (close the
// quotes, an escaped quote, reopen). The result is always exactly one word whose value is
// the input, whatever the input holds. POSIX sh, bash and zsh agree on this; fish and
// PowerShell do not, so the command must go to a POSIX shell.

/** Characters that mean nothing to sh, bash or zsh anywhere in a word: such words need no quotes. */
const PLAIN = /^[A-Za-z0-9_@%+:,./-]+$/;

export class ShellQuoteError extends Error {}

/**
 * Quotes `word` as one shell word. Plain words (`AKIAEXAMPLE`, `us-east-1`, `arn:aws:iam::1:user/x`)
 * stay as they are so the command a person confirms is easy to read; anything else is single-quoted.
 * Throws for NUL, which no argument can hold (the shell would cut the word short).
 */
export function shellQuote(word: string): string {
  if (word.includes('\0')) throw new ShellQuoteError('a value holds a NUL character, which a shell argument cannot hold');
  if (PLAIN.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
