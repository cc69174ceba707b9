// A throwaway AWS config folder for credential tests: config, credentials and SSO cache
// under a temporary HOME, and an environment that points only there. The test process's
// own environment is pointed there too, so nothing the SDK reads on its own can come from
// the real ~/.aws of the machine running the tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tempDir';

export interface AwsFolder {
  readonly home: string;
  readonly config: string;
  readonly credentials: string;
  readonly env: NodeJS.ProcessEnv;
  /** Writes a file under the folder (scripts for credential_process, SSO cache entries). */
  write(relative: string, text: string): string;
}

export function awsFolder(config: string, credentials = ''): AwsFolder {
  const home = tempDir('trailbook-aws-');
  mkdirSync(join(home, '.aws'), { recursive: true });
  const configPath = join(home, '.aws', 'config');
  const credentialsPath = join(home, '.aws', 'credentials');
  writeFileSync(configPath, config);
  writeFileSync(credentialsPath, credentials);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: configPath,
    AWS_SHARED_CREDENTIALS_FILE: credentialsPath,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return {
    home,
    config: configPath,
    credentials: credentialsPath,
    env,
    write(relative, text) {
      const path = join(home, relative);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
      return path;
    },
  };
}

/** Keeps the SDK's own lookups (region, endpoints settings) away from the real ~/.aws. */
export function isolateProcessEnv(): void {
  const empty = tempDir('trailbook-home-');
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  process.env.HOME = empty;
  process.env.AWS_CONFIG_FILE = join(empty, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(empty, 'credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}
