// The endpoint listens on 127.0.0.1 only, but a web page can still reach it: its own host
// name, re-pointed at 127.0.0.1 (DNS rebinding), makes the browser send requests there with
// `Host: evil.example:PORT` and read the answers as same-origin. Only requests addressed to
// this machine by a loopback name and this port are served.
import { isLoopbackHostname } from '../../sources/aws/endpointOverride';
import { displayText } from '../../sources/aws/displayText';
import { AwsError } from './awsError';

/** `127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT` (no port: 80). */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const [, hostname, portText] = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host) ?? [];
  if (hostname === undefined) return false;
  return isLoopbackHostname(hostname) && Number(portText ?? 80) === port;
}

export function checkLoopbackHost(host: string | undefined, port: number): void {
  if (isLoopbackHost(host, port)) return;
  throw new AwsError(
    'MisdirectedRequest',
    `This endpoint serves requests addressed to 127.0.0.1:${port}, localhost:${port} or [::1]:${port} only, ` +
      `not Host ${host === undefined ? '(none)' : JSON.stringify(displayText(host, 100))}: use one of those as the endpoint URL. ` +
      'Other host names are refused so that a web page cannot reach it through DNS rebinding.',
    421,
  );
}
