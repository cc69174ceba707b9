// How a scan's progress is said, in the CLI's stderr and the editor's status alike: files and
// bytes read of those to read, and, once there is something to go on, the time left at the
// rate so far (bytes, not files: a day's files differ in size by orders of magnitude).
import { formatElapsed } from '../../protocol/elapsed';
import type { IngestProgress } from './ingest';

const MB = 1024 * 1024;

/** `answering: read 1,200/8,147 files (25/169 MB), about 9 s left` */
export function scanProgressText(phase: string, p: IngestProgress): string {
  const files = `${p.filesDone.toLocaleString('en-US')}/${p.filesTotal.toLocaleString('en-US')} files`;
  const bytes = p.bytesTotal > 0 ? ` (${megabytes(p.bytesDone)}/${megabytes(p.bytesTotal)} MB)` : '';
  const events = p.events > 0 ? `, ${p.events.toLocaleString('en-US')} events` : '';
  return `${phase}: read ${files}${bytes}${events}${timeLeft(p)}`;
}

function megabytes(bytes: number): string {
  return (bytes / MB).toLocaleString('en-US', { maximumFractionDigits: bytes < 10 * MB ? 1 : 0 });
}

function timeLeft(p: IngestProgress): string {
  // A guess from the first few percent is noise; say nothing until there is a rate.
  if (p.bytesDone <= 0 || p.bytesDone >= p.bytesTotal || p.bytesDone < p.bytesTotal * 0.03 || p.elapsedMs < 500) return '';
  const left = (p.elapsedMs / p.bytesDone) * (p.bytesTotal - p.bytesDone);
  // Whole seconds: an estimate given to the tenth claims more than it knows.
  return `, about ${formatElapsed(Math.ceil(left / 1000) * 1000).replace('.0 s', ' s')} left`;
}
