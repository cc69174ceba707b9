// A real HTTP server on loopback standing in for Slack, PagerDuty or a webhook consumer: it
// records every request (headers and body as received) and answers as the test says, e.g.
// 500 for the first N requests, 429 with Retry-After, or not at all until released.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly json: any;
}

export type Answer = { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string } | 'hold';

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Decides the answer to the n-th request (0-based); 200 by default. */
  answer: (n: number, request: ReceivedRequest) => Answer;
  /** Called when a request arrives (after it is recorded). */
  onRequest?: ((request: ReceivedRequest) => void) | undefined;
  /** Answers the requests held so far (200 "ok" unless told). */
  release(answer?: Exclude<Answer, 'hold'>): void;
  close(): Promise<void>;
}

export async function startReceiver(path = '/'): Promise<Receiver> {
  const held: ServerResponse[] = [];
  const receiver: Receiver = {
    url: '',
    requests: [],
    answer: () => ({ status: 200, body: 'ok' }),
    release(answer = { status: 200, body: 'ok' }) {
      for (const res of held.splice(0)) if (!res.destroyed) res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
    },
    close: async () => {
      receiver.release();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const request: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json };
      const n = receiver.requests.length;
      receiver.requests.push(request);
      const answer = receiver.answer(n, request);
      receiver.onRequest?.(request);
      if (answer === 'hold') {
        held.push(res);
        return;
      }
      res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  (receiver as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}
