// Progress of long scans on stderr: a line rewritten in place on a terminal, and an
// occasional plain line in CI logs, where rewriting would only add noise.
import { formatElapsed } from '../protocol/elapsed';

export interface ProgressLine {
  update(message: string, elapsedMs: number): void;
  done(): void;
}

export function progressLine(stream: NodeJS.WriteStream, quiet: boolean): ProgressLine {
  let last = 0;
  let shown = false;
  return {
    update(message, elapsedMs) {
      if (quiet || elapsedMs < 1000) return;
      const text = `${message} · ${formatElapsed(elapsedMs)}`;
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${text}`);
        shown = true;
      } else if (elapsedMs - last >= 5000) {
        stream.write(`${text}\n`);
        last = elapsedMs;
      }
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
