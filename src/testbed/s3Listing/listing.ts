// ListObjectsV2 over local folders, as S3 answers it: keys are the files' paths under the
// bucket's folder with `/` separators, in UTF-8 binary order; at most max-keys (1000) a page,
// the rest behind an opaque NextContinuationToken; only keys under the prefix.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** Every file under `folder`, as S3 keys, sorted as S3 sorts them. */
export async function objectsUnder(folder: string): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const info = await stat(path);
        out.push({ key: relative(folder, path).split(sep).join('/'), size: info.size, lastModified: info.mtime });
      }
    }
  };
  await walk(folder);
  return out.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
}

export interface ListPage {
  readonly objects: readonly ListedObject[];
  readonly nextToken?: string;
}

const encodeToken = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
const decodeToken = (token: string): string => Buffer.from(token, 'base64url').toString('utf8');

export function listPage(objects: readonly ListedObject[], prefix: string, maxKeys: number, token: string | undefined): ListPage {
  const after = token === undefined ? undefined : decodeToken(token);
  const matching = objects.filter((o) => o.key.startsWith(prefix) && (after === undefined || Buffer.compare(Buffer.from(o.key), Buffer.from(after)) > 0));
  const page = matching.slice(0, maxKeys);
  return { objects: page, ...(matching.length > maxKeys ? { nextToken: encodeToken(page[page.length - 1]!.key) } : {}) };
}

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function listBucketResult(bucket: string, prefix: string, maxKeys: number, page: ListPage): string {
  const contents = page.objects
    .map((o) => `<Contents><Key>${xml(o.key)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>&quot;${o.size.toString(16)}&quot;</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.objects.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
    `<IsTruncated>${page.nextToken !== undefined}</IsTruncated>${contents}` +
    (page.nextToken !== undefined ? `<NextContinuationToken>${page.nextToken}</NextContinuationToken>` : '') +
    '</ListBucketResult>'
  );
}

export function s3ErrorXml(code: string, message: string, resource: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message><Resource>${xml(resource)}</Resource><RequestId>trailbook-local</RequestId></Error>`;
}
