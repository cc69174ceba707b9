// Asks for a runbook's parameters before a run, with the front matter's description,
// default and pattern, and remembers the answers per runbook for the session.
import * as vscode from 'vscode';
import { readParamValue } from '../runbook/paramValue';
import type { Runbook } from '../runbook/types';

export class ParamPrompt {
  private readonly remembered = new Map<string, Record<string, string>>();
  /** Values offered for parameters with no default (the sample organisation's ranges, buckets, hours). */
  private suggested: Readonly<Record<string, string>> = {};

  /** The sample investigation offers its organisation's values; the person still sees and confirms them. */
  suggest(values: Readonly<Record<string, string>>): void {
    this.suggested = values;
  }

  /** The values to run with, or undefined when the person cancelled. */
  async ask(runbook: Runbook, names: readonly string[]): Promise<Record<string, string> | undefined> {
    const known = { ...this.remembered.get(runbook.path) };
    for (const name of names) {
      const spec = runbook.params.find((p) => p.name === name)!;
      const value = await vscode.window.showInputBox({
        title: `${runbook.title}: parameter ${name}`,
        prompt: [
          spec.description,
          spec.type === 'list' ? 'a comma-separated list' : undefined,
          spec.pattern ? `pattern ${spec.pattern}` : undefined,
        ]
          .filter(Boolean)
          .join(' · '),
        value: known[name] ?? spec.default ?? this.suggested[name] ?? '',
        placeHolder: spec.default !== undefined ? `default: ${spec.default}` : name,
        ignoreFocusOut: true,
        validateInput: (text) => {
          const read = readParamValue(spec, text);
          return 'error' in read ? read.error : undefined;
        },
      });
      if (value === undefined) return undefined;
      known[name] = value;
    }
    this.remembered.set(runbook.path, known);
    return known;
  }
}

/** For profiles with `mfa_serial`: the code is asked for the same way. */
export async function askMfaCode(mfaSerial: string): Promise<string> {
  const code = await vscode.window.showInputBox({
    title: 'MFA code',
    prompt: `The AWS profile assumes a role that needs a code from ${mfaSerial}`,
    ignoreFocusOut: true,
    validateInput: (text) => (/^\d{6}$/.test(text.trim()) ? undefined : 'an MFA code is six digits'),
  });
  if (code === undefined) throw new Error(`no MFA code was given for ${mfaSerial}: the run stopped`);
  return code.trim();
}
