// The YAML library, required on first use rather than when a module that reads front
// matter loads: it is over 100 KB to evaluate, and the editor's activation loads the runbook
// modules without parsing anything (scripts/build.mjs gives it a file of its own, out/yaml.js).
type Yaml = typeof import('yaml');

let loaded: Yaml | undefined;

export function yaml(): Yaml {
  loaded ??= require('yaml') as Yaml;
  return loaded;
}
