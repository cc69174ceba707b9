// Where `source: athena` runs, checked the same way for both faces: the CLI names its flags
// (--athena-workgroup), the editor its settings (trailbook.athena.workgroup), and each
// error names the one to change and what to write there. Names that go into SQL (database,
// table) are held to identifiers; the endpoint override to the one endpoint rule.
import type { ErrorKind } from '../engine/errorKind';
import { checkEndpointOverride, EndpointOverrideError } from '../sources/aws/endpointOverride';
import {
  ATHENA_DEFAULT_CATALOG,
  ATHENA_DEFAULT_DATABASE,
  ATHENA_DEFAULT_MAX_SCAN_BYTES,
  ATHENA_DEFAULT_PRICE_PER_TB,
  ATHENA_DEFAULT_TABLE,
  ATHENA_DEFAULT_WORKGROUP,
} from '../sources/athena/defaults';
import type { AthenaTarget } from './openSource';

/** What the person wrote, before any check; blank values count as not given. */
export interface AthenaInput {
  readonly workgroup?: string;
  readonly database?: string;
  readonly table?: string;
  readonly catalog?: string;
  readonly outputLocation?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpoint?: string;
  /** Comma-separated or a list: the account partition's values to read. */
  readonly accounts?: string | readonly string[];
  readonly regions?: string | readonly string[];
  readonly maxScan?: string | number;
  readonly pricePerTb?: string | number;
}

/** How a face names each input: `--athena-workgroup` or `trailbook.athena.workgroup`. */
export type AthenaInputNames = Readonly<Record<keyof AthenaInput, string>>;

export class AthenaTargetError extends Error {
  constructor(
    message: string,
    readonly input: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  readonly errorKind: ErrorKind = { kind: 'athenaTarget' };
}

const WORKGROUP = /^[A-Za-z0-9._-]{1,128}$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const CATALOG = /^[A-Za-z0-9_-]{1,256}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
const S3_FOLDER = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/;
const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)?$/i;
const UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 1024,
  MIB: 1024 ** 2,
  GIB: 1024 ** 3,
  TIB: 1024 ** 4,
};

/** `10GB`, `500 MiB`, `1000000`: bytes. */
export function parseByteSize(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isSafeInteger(text) && text > 0 ? text : undefined;
  const m = SIZE.exec(text.trim());
  if (!m) return undefined;
  const unit = UNITS[(m[2] ?? 'B').toUpperCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.round(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

const given = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

function list(value: string | readonly string[] | undefined): string[] {
  const items = typeof value === 'string' ? value.split(',') : [...(value ?? [])];
  return [...new Set(items.map((v) => v.trim()).filter((v) => v !== ''))];
}

/** A checked target; the first malformed input is the error. Defaults: workgroup primary, table default.cloudtrail_logs. */
export function athenaTarget(input: AthenaInput, names: AthenaInputNames, env: NodeJS.ProcessEnv): AthenaTarget {
  const fail = (key: keyof AthenaInput, why: string): never => {
    throw new AthenaTargetError(`${names[key]} ${why}`, names[key]);
  };
  const check = (key: 'workgroup' | 'database' | 'table' | 'catalog', pattern: RegExp, fallback: string, what: string): string => {
    const value = given(input[key]) ?? fallback;
    if (!pattern.test(value)) fail(key, `${JSON.stringify(value)}: ${what}`);
    return value;
  };
  const workgroup = check('workgroup', WORKGROUP, ATHENA_DEFAULT_WORKGROUP, 'a workgroup name is letters, digits, . _ and -');
  const database = check('database', NAME, ATHENA_DEFAULT_DATABASE, 'write the database name alone (letters, digits and _)');
  const table = check('table', NAME, ATHENA_DEFAULT_TABLE, 'write the table name alone (letters, digits and _); the database is set apart');
  const catalog = check('catalog', CATALOG, ATHENA_DEFAULT_CATALOG, 'a data catalog name is letters, digits, _ and -');
  const outputLocation = given(input.outputLocation);
  if (outputLocation !== undefined && !S3_FOLDER.test(outputLocation))
    fail('outputLocation', `${JSON.stringify(outputLocation)}: write it as s3://bucket/folder/`);
  const region = given(input.region) ?? given(env.AWS_REGION) ?? given(env.AWS_DEFAULT_REGION) ?? 'us-east-1';
  if (!REGION.test(region)) fail('region', `${JSON.stringify(region)}: give a region name such as us-east-1`);
  const endpoint = given(input.endpoint);
  if (endpoint !== undefined) {
    try {
      checkEndpointOverride(endpoint, names.endpoint);
    } catch (error) {
      if (error instanceof EndpointOverrideError) throw new AthenaTargetError(error.message, names.endpoint, { cause: error });
      throw error;
    }
  }
  const accounts = list(input.accounts);
  const badAccount = accounts.find((a) => !ACCOUNT.test(a));
  if (badAccount !== undefined) fail('accounts', `${JSON.stringify(badAccount)}: give 12-digit account ids, comma-separated`);
  const regions = list(input.regions);
  const badRegion = regions.find((r) => !REGION.test(r));
  if (badRegion !== undefined) fail('regions', `${JSON.stringify(badRegion)}: give region names such as us-east-1,eu-west-1`);
  const maxScanBytes = input.maxScan === undefined || input.maxScan === '' ? ATHENA_DEFAULT_MAX_SCAN_BYTES : parseByteSize(input.maxScan);
  if (maxScanBytes === undefined) fail('maxScan', `${JSON.stringify(input.maxScan)}: give a number of bytes, such as 50000000000 or 50GB`);
  const price = input.pricePerTb === undefined || input.pricePerTb === '' ? ATHENA_DEFAULT_PRICE_PER_TB : Number(input.pricePerTb);
  if (!Number.isFinite(price) || price < 0)
    fail('pricePerTb', `${JSON.stringify(input.pricePerTb)}: give the price in USD per TB scanned, such as 5`);
  const profile = given(input.profile);
  return {
    kind: 'athena',
    workgroup,
    database,
    table,
    catalog,
    region,
    maxScanBytes: maxScanBytes!,
    pricePerTb: price,
    ...(outputLocation !== undefined ? { outputLocation } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(accounts.length > 0 ? { accounts } : {}),
    ...(regions.length > 0 ? { regions } : {}),
  };
}
