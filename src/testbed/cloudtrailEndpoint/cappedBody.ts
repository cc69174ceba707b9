// A request body, read only up to a bound. A LookupEvents or STS request is a few hundred
// bytes; without a bound a caller, signed or not, could make the server hold gigabytes
// (a 1.5 GB body once took 3.2 GB of memory). The Athena endpoint reads more (a query
// string may be 262,144 bytes) and passes its own bound. A declared Content-Length past the bound is
// refused before a byte is read; a chunked body is refused as soon as it passes it.
import type { IncomingMessage } from 'node:http';
import { AwsError } from './awsError';

/** 64 KiB: a hundred times the largest LookupEvents request (five attributes, a NextToken). */
export const MAX_BODY_BYTES = 64 * 1024;

function tooLarge(limit: number): AwsError {
  return new AwsError(
    'RequestEntityTooLarge',
    `The request body is larger than ${limit} bytes, the most this endpoint reads for one request.`,
    413,
  );
}

export function readCappedBody(request: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && !(Number(declared) <= limit)) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      // Stop pulling from the socket: the answer says Connection: close, and what the
      // client still sends is never read.
      request.pause();
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        stop();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks));
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', reject);
  });
}
