// Loads the runtime bundle (DuckDB, the AWS SDK, the engine) on first use. Activation
// never pays for it: a Markdown file opened to be read costs nothing more.
import { join } from 'node:path';
import type { Runtime } from './runtime';

export class RuntimeLoader {
  private runtime: Runtime | undefined;

  constructor(private readonly cacheDir: string) {}

  get loaded(): boolean {
    return this.runtime !== undefined;
  }

  /** Throws with a message a person can act on if the native engine cannot load. */
  get(): Runtime {
    if (this.runtime) return this.runtime;
    let module: typeof import('./runtime');
    try {
      // A computed path: the bundler must leave this require alone, so runtime.js stays a separate file.
      module = require(join(__dirname, 'runtime.js')) as typeof import('./runtime');
    } catch (error) {
      throw new Error(
        `Trailbook could not load its query engine (DuckDB): ${(error as Error).message}. ` +
          `The extension package may be for another platform: install the VSIX built for ${process.platform}-${process.arch}.`,
        { cause: error },
      );
    }
    this.runtime = module.createRuntime({ cacheDir: this.cacheDir });
    return this.runtime;
  }

  dispose(): void {
    this.runtime?.dispose();
    this.runtime = undefined;
  }
}
