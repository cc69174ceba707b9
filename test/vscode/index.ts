// The integration suite that @vscode/test-electron runs inside a downloaded VS Code
// (scripts/test-vscode.mjs bundles this file to out/test-vscode/index.js). VS Code calls
// run(); it resolves when every test passed and rejects otherwise. A small runner of our
// own instead of mocha: the tests run in order, each with a time limit, and a failure
// does not stop the ones after it.
import { tests } from './suite';

const TEST_TIMEOUT_MS = 120_000;

function withTimeout<T>(promise: Promise<T>, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: timed out after ${TEST_TIMEOUT_MS / 1000} s`)), TEST_TIMEOUT_MS);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer)) as Promise<T>;
}

export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const test of tests) {
    const started = Date.now();
    try {
      await withTimeout(test.run(), test.name);
      console.log(`ok - ${test.name} (${Date.now() - started} ms)`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`not ok - ${test.name} (${Date.now() - started} ms)\n${message.replace(/^/gm, '    ')}`);
      failures.push(test.name);
    }
  }
  console.log(`${tests.length - failures.length} of ${tests.length} tests passed`);
  if (failures.length > 0) throw new Error(`${failures.length} of ${tests.length} tests failed: ${failures.join('; ')}`);
}
