// The bit of S3 the Athena source's cost bound needs: ListObjectsV2 (path-style, REST, XML)
// over the `--logs` folder, served as the bucket LOGS_BUCKET on the endpoint's own port, so
// the estimate runs through the real @aws-sdk/client-s3 and lists the same files the DuckDB
// backend reads. The log files are listed once, at the first request, by the local source's
// own discovery (CloudTrail's .json and .json.gz files; nothing else in the folder is shown).
import { relative, resolve, sep } from 'node:path';
import { ALL_TIME } from '../../engine/timeWindow';
import { discoverLogFiles, type LogFile } from '../../sources/local/discover';
import { AwsError } from '../cloudtrailEndpoint/awsError';
import type { NextTokens } from '../cloudtrailEndpoint/nextToken';

/** The bucket the endpoint serves its `--logs` folder as. */
export const LOGS_BUCKET = 'trailbook-local-logs';

export interface S3Object {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** The folder's log files as objects, sorted by key as S3 lists them (UTF-8 byte order). */
export async function listLogObjects(logsDir: string): Promise<S3Object[]> {
  const root = resolve(logsDir);
  const discovery = await discoverLogFiles(root, ALL_TIME);
  const asObject = (file: LogFile): S3Object => ({
    key: relative(root, file.path).split(sep).join('/'),
    size: file.size,
    lastModified: new Date(file.mtimeMs),
  });
  return discovery.files.map(asObject).sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
}

/**
 * Where the day folders start, when every file sits under one `…/YYYY/MM/DD/` path (one
 * account and region, as a trail's bucket for one of them): GetTableMetadata's
 * `storage.location.template` then ends in `${timestamp}` and the estimate lists only the
 * window's days. Otherwise undefined: the template is the bucket, and everything is listed.
 */
export function dayFolderPrefix(objects: readonly S3Object[]): string | undefined {
  let prefix: string | undefined;
  for (const object of objects) {
    const m = /^(.*?)\d{4}\/\d{2}\/\d{2}\/[^/]+$/.exec(object.key);
    if (!m || (prefix !== undefined && m[1] !== prefix)) return undefined;
    prefix = m[1];
  }
  return prefix;
}

const xml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** S3 names its refusals of a signature differently from the JSON services (and answers 403). */
export function asS3Error(error: AwsError): AwsError {
  switch (error.code) {
    case 'UnrecognizedClientException':
      return new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403);
    case 'InvalidSignatureException':
      return new AwsError('SignatureDoesNotMatch', error.message, 403);
    case 'IncompleteSignatureException':
    case 'MissingAuthenticationTokenException':
    case 'ExpiredTokenException':
      return new AwsError('AccessDenied', error.message, 403);
    default:
      return error;
  }
}

export function s3ErrorXml(error: AwsError, requestId: string, resource: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xml(error.code)}</Code><Message>${xml(error.message)}</Message><Resource>${xml(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`;
}

const MAX_KEYS = 1000;

/** GET /BUCKET?list-type=2&prefix=…&delimiter=…&max-keys=…&continuation-token=…&start-after=… */
export function listObjectsV2(path: string, query: URLSearchParams, objects: readonly S3Object[], tokens: NextTokens): string {
  const bucket = decodeURIComponent(path.replace(/^\/+/, '').replace(/\/+$/, ''));
  if (bucket.includes('/'))
    throw new AwsError('InvalidRequest', 'This endpoint answers ListObjectsV2 only (GET /BUCKET?list-type=2), not object reads.', 400);
  if (bucket !== LOGS_BUCKET)
    throw new AwsError(
      'NoSuchBucket',
      `The specified bucket does not exist: this endpoint serves its --logs folder as the bucket ${LOGS_BUCKET}`,
      404,
    );
  if (query.get('list-type') !== '2') throw new AwsError('InvalidRequest', 'This endpoint answers ListObjectsV2 (list-type=2) only.', 400);
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = Math.min(MAX_KEYS, query.has('max-keys') ? Number(query.get('max-keys')) : MAX_KEYS);
  if (!Number.isInteger(maxKeys) || maxKeys < 0)
    throw new AwsError('InvalidArgument', 'max-keys must be a whole number from 0 to 1000', 400);
  const binding = `${prefix}\n${delimiter}`;
  const token = query.get('continuation-token');
  let offset = 0;
  if (token !== null) {
    const at = tokens.offsetOf(binding, token);
    if (at === undefined) throw new AwsError('InvalidArgument', 'The continuation token provided is incorrect', 400);
    offset = at;
  }
  const startAfter = query.get('start-after') ?? '';
  const matching = objects.filter((o) => o.key.startsWith(prefix) && o.key > startAfter);
  // Keys and common prefixes, in order, as one sequence of entries to page over.
  const entries: ({ kind: 'key'; object: S3Object } | { kind: 'prefix'; prefix: string })[] = [];
  for (const object of matching) {
    const cut = delimiter === '' ? -1 : object.key.indexOf(delimiter, prefix.length);
    if (cut < 0) entries.push({ kind: 'key', object });
    else {
      const common = object.key.slice(0, cut + delimiter.length);
      const last = entries[entries.length - 1];
      if (!(last?.kind === 'prefix' && last.prefix === common)) entries.push({ kind: 'prefix', prefix: common });
    }
  }
  const page = entries.slice(offset, offset + maxKeys);
  const truncated = offset + maxKeys < entries.length;
  const contents = page
    .map((e) =>
      e.kind === 'key'
        ? `<Contents><Key>${xml(e.object.key)}</Key><LastModified>${e.object.lastModified.toISOString()}</LastModified><ETag>&quot;${e.object.size.toString(16)}&quot;</ETag><Size>${e.object.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`
        : `<CommonPrefixes><Prefix>${xml(e.prefix)}</Prefix></CommonPrefixes>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
    `<Name>${LOGS_BUCKET}</Name><Prefix>${xml(prefix)}</Prefix>${delimiter ? `<Delimiter>${xml(delimiter)}</Delimiter>` : ''}` +
    `<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
    (token !== null ? `<ContinuationToken>${xml(token)}</ContinuationToken>` : '') +
    (truncated ? `<NextContinuationToken>${xml(tokens.issue(binding, offset + maxKeys))}</NextContinuationToken>` : '') +
    `${contents}</ListBucketResult>`
  );
}
