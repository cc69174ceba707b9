// The INI dialect of the AWS config files, as far as listing and classifying profiles
// needs it: `[section]` headers, `key = value` lines, `#` and `;` comments, and nested
// settings (`s3 =` followed by indented lines), which belong to a service and are skipped.

export interface IniSection {
  /** The header between the brackets, trimmed: `default`, `profile dev`, `sso-session corp`. */
  readonly header: string;
  readonly values: Record<string, string>;
}

export function parseIni(text: string): IniSection[] {
  const sections: IniSection[] = [];
  let current: IniSection | undefined;
  let nested = false;
  for (const raw of text.split(/\r?\n/)) {
    // A comment starts a line, or follows whitespace (a `#` inside a value is kept).
    const line = raw.replace(/(^|\s)[#;].*$/, '').trim();
    if (line === '') continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      current = { header: line.slice(1, -1).trim().replace(/\s+/g, ' '), values: {} };
      sections.push(current);
      nested = false;
      continue;
    }
    const equals = line.indexOf('=');
    if (!current || equals <= 0) continue;
    if (nested && /^\s/.test(raw)) continue;
    const key = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    nested = value === '';
    if (!nested) current.values[key] = value;
  }
  return sections;
}
