// Reads the attributes after the language word (`cloudtrail`, `sh`) in a fence's info string: `key=value` or
// `key="value with spaces"`. Unknown keys are kept (other tools may use them) but flagged,
// because a typo such as `expcet=empty` would otherwise silently turn a detection off.
import type { Severity } from './types';

export const KNOWN_ATTRIBUTES = ['id', 'expect', 'window', 'source', 'profiles', 'sso-session', 'dedup', 'severity'] as const;

export interface InfoProblem {
  readonly code: string;
  readonly message: string;
  readonly severity: Severity;
}

/** Response actions (```sh blocks) take only an id: nothing else changes how they run. */
export const KNOWN_ACTION_ATTRIBUTES = ['id'] as const;

export function parseInfoString(
  info: string,
  known: readonly string[] = KNOWN_ATTRIBUTES,
): { attributes: Record<string, string>; problems: InfoProblem[] } {
  // A Map, because keys come from the author and `__proto__` must stay a plain key.
  const attributes = new Map<string, string>();
  const problems: InfoProblem[] = [];
  // The first word names the language (cloudtrail, sh, bash, shell); the attributes follow it.
  const text = info.replace(/^\S*/, '');
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text.charAt(i))) {
      i += 1;
      continue;
    }
    const keyEnd = findFrom(text, i, /[\s=]/);
    const key = text.slice(i, keyEnd);
    i = keyEnd;
    if (text[i] !== '=' || key === '') {
      const word = key === '' ? text.slice(i, findFrom(text, i, /\s/)) : key;
      problems.push({
        code: 'malformed-attribute',
        severity: 'warning',
        message: `"${word}" is not an attribute; write key=value, e.g. id=my-cell`,
      });
      i = findFrom(text, i, /\s/);
      continue;
    }
    i += 1;
    let value: string;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) {
        problems.push({
          code: 'malformed-attribute',
          severity: 'error',
          message: `the value of ${key} opens a quote (") that is never closed`,
        });
        value = text.slice(i + 1);
        i = text.length;
      } else {
        value = text.slice(i + 1, close);
        i = close + 1;
      }
    } else {
      const end = findFrom(text, i, /\s/);
      value = text.slice(i, end);
      i = end;
    }
    if (attributes.has(key)) {
      problems.push({
        code: 'duplicate-attribute',
        severity: 'error',
        message: `${key} is given twice; keep one (the first, ${JSON.stringify(attributes.get(key))}, is used)`,
      });
      continue;
    }
    attributes.set(key, value);
    if (!known.includes(key)) {
      problems.push({
        code: 'unknown-attribute',
        severity: 'warning',
        message: `unknown attribute ${key}=${value}; known attributes are ${known.join(', ')}`,
      });
    }
  }
  return { attributes: Object.fromEntries(attributes), problems };
}

function findFrom(text: string, from: number, pattern: RegExp): number {
  for (let i = from; i < text.length; i += 1) if (pattern.test(text.charAt(i))) return i;
  return text.length;
}
