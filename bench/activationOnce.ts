// One activation of the extension in a fresh process, as the extension host does it:
// require out/extension.js (with bench/vscodeStandIn.ts answering `require('vscode')`) and
// call activate() with one runbook open; then the first CodeLens request on that runbook,
// which is where work moved out of activation is paid. Prints one JSON line.
// activation.ts bundles it and runs it many times.
//   activationOnce EXTENSION_JS RUNBOOK STORAGE_DIR
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, resolve } from 'node:path';
import { vscodeStandIn } from './vscodeStandIn';

/** What the extension's activation line says: each registration and its milliseconds. */
export function registrationTimes(line: string): Record<string, number> {
  const listed = line.split('slowest: ')[1] ?? '';
  return Object.fromEntries([...listed.matchAll(/([^,]+?) ([\d.]+) ms/g)].map(([, name = '', ms = '']) => [name.trim(), Number(ms)]));
}

interface Extension {
  activate(context: object): { readonly activationMs: number };
}

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;

const HOST_BUILTINS = ['node:crypto', 'node:child_process', 'node:fs', 'node:fs/promises', 'node:os', 'node:net', 'node:zlib'];

function main(): void {
  const [bundle, runbook, storage] = process.argv.slice(2);
  if (!bundle || !runbook || !storage) throw new Error('usage: activationOnce EXTENSION_JS RUNBOOK STORAGE_DIR');
  const vscode = vscodeStandIn(resolve(runbook), readFileSync(runbook, 'utf8'));
  const lensProviders: { provideCodeLenses(document: unknown): unknown[] }[] = [];
  const languages = vscode.module as { languages: { registerCodeLensProvider: unknown } };
  const register = languages.languages.registerCodeLensProvider as (...args: unknown[]) => unknown;
  Object.defineProperty(languages.languages, 'registerCodeLensProvider', {
    value: (selector: unknown, provider: (typeof lensProviders)[number]) => {
      lensProviders.push(provider);
      return register(selector, provider);
    },
  });
  const modules = Module as unknown as { _load: Load };
  const load = modules._load;
  modules._load = (request, parent, isMain) => (request === 'vscode' ? vscode.module : load(request, parent, isMain));

  // The extension host has these loaded before any extension (code-server 4.100.3's
  // extensionHostProcess.js imports them), so a bundle requiring them pays nothing there;
  // a plain Node process would charge their first load (~8 ms) to the bundle.
  for (const builtin of HOST_BUILTINS) require(builtin);

  const required = performance.now();
  const extension = require(resolve(bundle)) as Extension;
  const activating = performance.now();
  const context = vscode.context(resolve(dirname(bundle), '..'), resolve(storage));
  const api = extension.activate(context);
  const activated = performance.now();
  const marks = globalThis as { __trailbookLoadStart?: number; __trailbookLoadEnd?: number };
  const line = vscode.output.find((text) => text.startsWith('activated in')) ?? '';

  const [provider] = lensProviders;
  if (!provider) throw new Error('activation registered no CodeLens provider');
  const document = (vscode.module as { workspace: { textDocuments: unknown[] } }).workspace.textDocuments[0];
  const lensing = performance.now();
  const lenses = provider.provideCodeLenses(document);
  const lensed = performance.now();
  // Which of the parsers' bundles (scripts/build.mjs) the first lens made the process load.
  const parsers = ['markdownIt.js', 'yaml.js', 'shellParser.js'].filter((file) =>
    Object.keys(require.cache).some((path) => path.endsWith(`/out/${file}`) || path.endsWith(`\\out\\${file}`)),
  );
  for (const subscription of context.subscriptions) subscription.dispose();

  process.stdout.write(
    `${JSON.stringify({
      requireMs: activating - required,
      bundleMs: (marks.__trailbookLoadEnd ?? Number.NaN) - (marks.__trailbookLoadStart ?? Number.NaN),
      activateMs: activated - activating,
      activationMs: api.activationMs,
      // The CPU time beside it (older bundles do not say: NaN).
      activationCpuMs: Number(/^activated in [\d.]+ ms \(CPU ([\d.]+) ms\)/.exec(line)?.[1] ?? Number.NaN),
      registrations: registrationTimes(line),
      firstLensMs: lensed - lensing,
      lenses: lenses.length,
      parsers,
    })}\n`,
  );
  // The ignored-settings scan and other work scheduled after activation are not measured.
  process.exit(0);
}

// Imported (by a test, for registrationTimes), it does nothing.
if (require.main === module) main();
