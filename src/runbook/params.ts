// Reads `params:` from the front matter. Each parameter is either a bare value (its
// default) or a map with description, default, pattern and type.
import type { ParamSpec, ParamType, RunbookProblem } from './types';
import { problem } from './problems';
import { NAME_PATTERN } from './references';
import { compilePattern, readParamValue } from './paramValue';
import { yaml } from './yamlLibrary';

/** Absolute 0-based Markdown line of a YAML node, or `fallback` if it has no position. */
export type LineOf = (node: unknown, fallback: number) => number;

const PARAM_KEYS = ['description', 'default', 'pattern', 'type'];
const PARAM_TYPES: readonly ParamType[] = ['string', 'number', 'list'];

export function readParams(node: unknown, line: number, lineOf: LineOf): { params: ParamSpec[]; problems: RunbookProblem[] } {
  const { isMap, isScalar } = yaml();
  const params: ParamSpec[] = [];
  const problems: RunbookProblem[] = [];
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return { params, problems };
  if (!isMap(node)) {
    problems.push(
      problem(line, 'invalid-params', 'params must be a map of parameter names, e.g. params: { user: { description: IAM user name } }'),
    );
    return { params, problems };
  }
  for (const pair of node.items) {
    const nameLine = lineOf(pair.key, line);
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!NAME_PATTERN.test(name)) {
      problems.push(
        problem(
          nameLine,
          'invalid-param-name',
          `parameter name ${JSON.stringify(name)} must start with a letter and contain only letters, digits, - and _`,
        ),
      );
      continue;
    }
    const spec = readParam(name, pair.value, nameLine, lineOf, problems);
    if (spec) params.push(spec);
  }
  return { params, problems };
}

function readParam(name: string, node: unknown, line: number, lineOf: LineOf, problems: RunbookProblem[]): ParamSpec | undefined {
  const { isMap, isScalar, isSeq } = yaml();
  if (node === null || node === undefined || isScalar(node)) {
    // A bare value is the default; a bare number also says what kind of value is expected.
    const value = isScalar(node) ? node.value : null;
    if (value === null || value === undefined) return { name, type: 'string', line };
    return { name, type: typeof value === 'number' ? 'number' : 'string', default: String(value), line };
  }
  if (!isMap(node)) {
    problems.push(
      problem(line, 'invalid-param', `parameter ${name} must be a default value or a map with description, default, pattern and type`),
    );
    return undefined;
  }
  const fields: { description?: string; default?: string; pattern?: string; type: ParamType } = { type: 'string' };
  let defaultLine = line;
  let typeGiven = false;
  let numericDefault = false;
  let patternValid = true;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const at = lineOf(pair.value, lineOf(pair.key, line));
    const value = isScalar(pair.value) ? pair.value.value : pair.value;
    if (key === 'description') {
      if (typeof value === 'string') fields.description = value;
      else problems.push(problem(at, 'invalid-param', `the description of parameter ${name} must be text`));
    } else if (key === 'default') {
      defaultLine = at;
      // A list default may be written as a YAML list; it is kept in the comma form the CLI uses.
      if (isSeq(value)) fields.default = value.items.map((item) => (isScalar(item) ? String(item.value) : '')).join(',');
      else if (value !== null && value !== undefined && typeof value !== 'object') {
        fields.default = String(value);
        numericDefault = typeof value === 'number';
      } else if (value !== null && value !== undefined)
        problems.push(problem(at, 'invalid-param', `the default of parameter ${name} must be a value or a list of values`));
    } else if (key === 'pattern') {
      if (typeof value !== 'string') {
        problems.push(problem(at, 'invalid-pattern', `the pattern of parameter ${name} must be a regular expression written as text`));
        continue;
      }
      fields.pattern = value;
      try {
        compilePattern(value);
      } catch (error) {
        patternValid = false;
        problems.push(
          problem(
            at,
            'invalid-pattern',
            `pattern ${JSON.stringify(value)} of parameter ${name} is not a valid regular expression: ${(error as Error).message}`,
          ),
        );
      }
    } else if (key === 'type') {
      typeGiven = true;
      if (PARAM_TYPES.includes(value as ParamType)) fields.type = value as ParamType;
      else
        problems.push(
          problem(at, 'invalid-param-type', `type ${JSON.stringify(value)} of parameter ${name} is not known; use string, number or list`),
        );
    } else {
      problems.push(
        problem(
          lineOf(pair.key, line),
          'unknown-param-key',
          `parameter ${name} has an unknown field ${JSON.stringify(key)}; known fields are ${PARAM_KEYS.join(', ')}`,
          'warning',
        ),
      );
    }
  }
  // Without `type:` a map-form parameter is text, even with a bare number as its default: it
  // becomes '10', which DuckDB compares with a count by casting, and Trino (Athena) refuses
  // (`bigint >= varchar`). Say so where the default is written, so the author picks a type.
  if (numericDefault && !typeGiven) {
    problems.push(
      problem(
        defaultLine,
        'number-default-as-text',
        `the default of parameter ${name} is a number, but the parameter has no type, so it is text and becomes '${fields.default}' in SQL, which Athena will not compare with a number; add type: number, or quote the default to keep it text`,
        'warning',
      ),
    );
  }
  const spec: ParamSpec = { name, ...fields, line };
  // An invalid pattern is already reported; checking the default against it would repeat that.
  if (spec.default !== undefined && patternValid) {
    const checked = readParamValue(spec, spec.default);
    if ('error' in checked)
      problems.push(problem(defaultLine, 'invalid-param-default', `the default of parameter ${name} is not valid: ${checked.error}`));
  }
  return spec;
}
