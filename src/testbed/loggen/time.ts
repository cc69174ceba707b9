// Time formats found in CloudTrail records and file names. All in UTC: CloudTrail
// never writes local time, and the generator must not depend on the machine's zone.

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

let cachedSecond = NaN;
let cachedIso = '';

/** eventTime / creationDate: ISO-8601 to the second with a Z, e.g. 2024-07-31T13:06:24Z.
 *  Records arrive in time order, so the previous second's text is usually reusable. */
export function isoSeconds(ms: number): string {
  const second = Math.floor(ms / SECOND);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedIso = new Date(second * SECOND).toISOString().slice(0, 19) + 'Z';
  }
  return cachedIso;
}

/** The UTC day of a time as YYYY-MM-DD (object keys, log stream names). */
export function isoDay(ms: number): string {
  return isoSeconds(ms).slice(0, 10);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The Java-style dates IAM and STS put in responseElements: "Jul 30, 2024, 9:53:13 PM". */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
}

/** The parts of a delivery time used in the S3 key: folder YYYY/MM/DD and YYYYMMDDTHHMMZ. */
export function deliveryParts(ms: number): { folder: string; stamp: string } {
  const iso = new Date(ms).toISOString(); // 2024-07-31T13:06:24.000Z
  const y = iso.slice(0, 4);
  const m = iso.slice(5, 7);
  const d = iso.slice(8, 10);
  return { folder: `${y}/${m}/${d}`, stamp: `${y}${m}${d}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z` };
}
