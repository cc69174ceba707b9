// The ISO-8601 timestamps Trailbook accepts: in windows (front matter, cell attributes) and
// as the moment an `around` pivot centres on. Here rather than in src/runbook because the
// results view offers that pivot only for a time the host will accept. No DOM, no node.

// A date-time must carry Z or an offset: a bare local time would mean different instants
// on a laptop and in CI. A date alone is midnight UTC.
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/** The instant an ISO-8601 timestamp names, or undefined if it is not one we accept. */
export function parseTimestamp(text: string): Date | undefined {
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return undefined;
  // Date accepts 2024-02-30 and rolls it into March; a typo must not become another day.
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    return undefined;
  }
  return date;
}
