// Real data that nobody on this project wrote, kept in the repository so that a clone
// alone passes `npm test`: the Stratus Red Team detonation logs (Apache-2.0; see NOTICE
// in the folder for their origin).
import { resolve } from 'node:path';

export const STRATUS_DIR = resolve(__dirname, '../fixtures/stratus-red-team/detonation-logs');

export function stratusDir(): string {
  return STRATUS_DIR;
}
