// Runs the end-to-end test in a real VS Code (code-server 4.100.3) and Chromium:
// test/e2e/*.e2e.ts with node's test runner. `npm run test:e2e` runs scripts/e2e-setup.sh
// first, which installs what this needs. Screenshots and logs: test-results/e2e/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Arguments filter the files by name (`node scripts/test-e2e.mjs results` runs results.e2e.ts).
// `--readme-images`: after a passing run, the README's pictures are replaced by this run's
// screenshots (README_IMAGES), so the README shows the product as it is.
const readmeImages = process.argv.includes('--readme-images');
const filters = process.argv.slice(2).filter((arg) => arg !== '--readme-images');

/** The README's pictures: the screenshot of a step (its e2e folder and step name) → images. */
const README_IMAGES = [
  { folder: 'investigation', step: '1c-first-run-shows-attacks', image: 'first-run.png' },
  { folder: 'results', step: '03-timeline-1600x1000', image: 'results-timeline.png' },
  { folder: '.', step: 'c-problems', image: 'sql-problem.png' },
  { folder: 'investigation', step: '10c-confirmation', image: 'response-action.png' },
];
const files = readdirSync(join(root, 'test/e2e'))
  .filter((name) => name.endsWith('.e2e.ts'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort()
  .map((name) => join('test/e2e', name));
if (files.length === 0) {
  console.error(`test-e2e: no test/e2e/*.e2e.ts file${filters.length ? ` matches ${filters.join(', ')}` : ''}`);
  process.exit(2);
}

const started = Date.now();
// One VSIX for every e2e file (each would otherwise build and package its own).
const env = { ...process.env };
if (!env.TRAILBOOK_E2E_VSIX) {
  const packaged = spawnSync(process.execPath, [join(root, 'scripts/package.mjs')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 300_000,
  });
  const vsix = packaged.stdout?.trim().split('\n').pop();
  if (packaged.status !== 0 || !vsix || !existsSync(vsix)) {
    console.error(`test-e2e: scripts/package.mjs failed (${packaged.error?.message ?? `exit ${packaged.status}`}): see its output above`);
    process.exit(1);
  }
  env.TRAILBOOK_E2E_VSIX = vsix;
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  cwd: root,
  env,
  stdio: 'inherit',
  // Bounded: a hung browser or workbench must end the run, not CI's patience. The test's
  // own timeouts are shorter; this is the backstop (code-server dies with the test process).
  timeout: 20 * 60_000,
  killSignal: 'SIGTERM',
});
const seconds = ((Date.now() - started) / 1000).toFixed(0);
if (result.error) {
  console.error(`test-e2e: ${result.error.message} after ${seconds} s`);
  process.exit(1);
}
console.error(`test-e2e: ${result.status === 0 ? 'passed' : 'FAILED'} in ${seconds} s; screenshots and logs in test-results/e2e/`);
// The extension logs its activation time to its output channel: a figure, not a check.
// Each e2e file starts its own editor, so a run of several files sees several activations.
const activations = activationLines(join(root, 'test-results/e2e'), started);
for (const line of activations) console.error(`test-e2e: extension ${line}`);
if (activations.length > 1) console.error(`test-e2e: ${activationSpread(activations)}`);
if (readmeImages && result.status === 0) copyReadmeImages();
process.exit(result.status ?? 1);

function copyReadmeImages() {
  mkdirSync(join(root, 'images'), { recursive: true });
  for (const { folder, step, image } of README_IMAGES) {
    const dir = join(root, 'test-results/e2e', folder);
    // Screenshots are numbered in the order the steps ran: `NN-<step>.png`.
    const shot = existsSync(dir) ? readdirSync(dir).find((name) => name.replace(/^\d+-/, '') === `${step}.png`) : undefined;
    if (!shot) {
      console.error(
        `test-e2e: no screenshot of step ${step} in test-results/e2e/${folder}: images/${image} is unchanged (run that e2e file too)`,
      );
      continue;
    }
    copyFileSync(join(dir, shot), join(root, 'images', image));
    console.error(`test-e2e: images/${image} ← ${folder}/${shot}`);
  }
}

/** The activation lines of the extension's logs under `dir` written by this run (since `since`). */
function activationLines(dir, since) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) return activationLines(path, since);
    return name.endsWith('Trailbook.log') && stat.mtimeMs >= since
      ? readFileSync(path, 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('activated in'))
      : [];
  });
}

/** `activation over 6 editor starts: median 31.2 ms, max 45.0 ms; on the CPU … (bundle evaluated …; activate() …)`. */
function activationSpread(lines) {
  const figure = (pattern) => lines.map((line) => Number(pattern.exec(line)?.[1])).filter((ms) => Number.isFinite(ms));
  const spread = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
  };
  const total = figure(/^activated in ([\d.]+) ms/);
  const cpu = figure(/^activated in [\d.]+ ms \(CPU ([\d.]+) ms\)/);
  const bundle = figure(/bundle evaluated in ([\d.]+) ms/);
  const activate = figure(/activate\(\) in ([\d.]+) ms/);
  return `activation over ${total.length} editor starts: ${spread(total)}${cpu.length > 0 ? `; on the CPU ${spread(cpu)}` : ''} (bundle evaluated ${spread(bundle)}; activate() ${spread(activate)})`;
}
