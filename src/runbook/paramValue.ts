// Turns the text a person gave for a parameter (CLI flag, prompt, front-matter default) into
// typed values, or says why it is not acceptable. Shared by lint (defaults) and substitution.
import type { ParamSpec } from './types';

export type ParamValue =
  { readonly kind: 'scalar'; readonly value: string | number | bigint } | { readonly kind: 'list'; readonly values: readonly string[] };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A pattern must match the whole value, not a part of it: `^(?:…)$`. Throws SyntaxError. */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

export function readParamValue(spec: ParamSpec, raw: string): ParamValue | { readonly error: string } {
  let pattern: RegExp | undefined;
  try {
    pattern = spec.pattern === undefined ? undefined : compilePattern(spec.pattern);
  } catch {
    return { error: `parameter "${spec.name}" has an invalid pattern ${spec.pattern}` };
  }
  const mismatch = (text: string) =>
    pattern && !pattern.test(text)
      ? { error: `value ${JSON.stringify(text)} for parameter "${spec.name}" does not match its pattern ${spec.pattern}` }
      : undefined;

  if (spec.type === 'list') {
    // Empty items come from stray commas ("a,,b", "a,"); they are not values anyone meant.
    const values = raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    for (const value of values) {
      const bad = mismatch(value);
      if (bad) return bad;
    }
    return { kind: 'list', values };
  }
  if (spec.type === 'number') {
    const text = raw.trim();
    if (!NUMBER.test(text)) return { error: `parameter "${spec.name}" must be a number, got ${JSON.stringify(raw)}` };
    const bad = mismatch(text);
    if (bad) return bad;
    // Integers stay exact however long they are; anything else goes through a double.
    if (/^[+-]?\d+$/.test(text)) return { kind: 'scalar', value: BigInt(text) };
    const value = Number(text);
    if (!Number.isFinite(value)) return { error: `parameter "${spec.name}" is too large: ${text}` };
    return { kind: 'scalar', value };
  }
  return mismatch(raw) ?? { kind: 'scalar', value: raw };
}
