// How far a document is linted. DuckDB checks SQL only in files of a trusted workspace:
// a git diff pane, a pull request's review view or a virtual file shows someone else's
// text, which must not reach an engine just by being looked at (and its problems would
// only repeat the file's in the Problems panel). The format's own problems come from the
// parser alone (no engine, no I/O), so an untrusted file or an untitled draft still gets them.

export type LintDepth = 'none' | 'format' | 'sql';

export function lintDepth(document: { readonly scheme: string; readonly isRunbook: boolean }, trusted: boolean): LintDepth {
  if (!document.isRunbook) return 'none';
  if (document.scheme === 'file') return trusted ? 'sql' : 'format';
  if (document.scheme === 'untitled') return 'format';
  // The extension's own runbooks, opened read-only (bundledRunbooks.ts): checked as a file is.
  if (document.scheme === 'trailbook-bundled') return trusted ? 'sql' : 'format';
  return 'none';
}
