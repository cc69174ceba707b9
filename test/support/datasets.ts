// The real data in ../shared/datasets, read in place. A missing dataset fails the test
// with a message: it never turns into a silent skip.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const STRATUS_DIR = resolve(__dirname, '../../../shared/datasets/stratus-red-team/detonation-logs');

export function stratusDir(): string {
  if (!existsSync(STRATUS_DIR)) {
    throw new Error(`the Stratus Red Team dataset is missing at ${STRATUS_DIR}: tests read it from ../shared/datasets (see its README)`);
  }
  return STRATUS_DIR;
}
