// A deterministic CloudTrail log generator for tests, the demo and benchmarks.
export { generateTrail, DEFAULT_DAYS, DEFAULT_SEED, DEFAULT_START, type GenerateOptions, type GenerateResult } from './generate';
export { ATTACK_NAMES } from './attacks/index';
export { readManifest, MANIFEST_FILE, GENERATOR, type Manifest, type AttackManifest } from './manifest';
export { ACCOUNTS, COMPANY_DOMAIN, organisation } from './org';
export { REGIONS, GLOBAL_REGION, type CloudTrailRecord } from './types';
