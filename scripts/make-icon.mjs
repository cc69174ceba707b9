// Draws media/icon.png, the Marketplace icon: an open book with a dashed trail across
// its pages ending at a marker (a runbook you follow). Only Node's built-ins: shapes
// are tested per sample, 4×4 samples a pixel for smooth edges, and the PNG is written
// by hand (zlib deflates it). Deterministic: the same script gives the same bytes, so
// the committed icon can be regenerated and compared.
//
//   node scripts/make-icon.mjs [out.png]
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 256;
const SAMPLES = 4;

const BACKGROUND = [29, 43, 54];
const PAGE = [243, 234, 215];
const PAGE_EDGE = [196, 178, 146];
const LINE = [214, 201, 175];
const TRAIL = [232, 118, 43];

const inRoundedSquare = (x, y, radius) => {
  const cx = Math.min(Math.max(x, radius), SIZE - radius);
  const cy = Math.min(Math.max(y, radius), SIZE - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
};

/** Inside a convex polygon whose points go clockwise on screen (y down). */
const inPolygon = (points) => (x, y) =>
  points.every(([ax, ay], i) => {
    const [bx, by] = points[(i + 1) % points.length];
    return (bx - ax) * (y - ay) - (by - ay) * (x - ax) >= 0;
  });

const leftPage = inPolygon([
  [30, 80],
  [123, 94],
  [123, 204],
  [30, 190],
]);
const rightPage = inPolygon([
  [133, 94],
  [226, 80],
  [226, 190],
  [133, 204],
]);
// The pages' thickness: a darker block showing below and beside them.
const pageBlock = inPolygon([
  [22, 90],
  [128, 106],
  [234, 90],
  [234, 200],
  [128, 216],
  [22, 200],
]);

// Ruled lines on each page, following the page's slant.
const onLine = (x, y) => {
  for (const [x0, x1, slope, top] of [
    [42, 112, 14 / 93, 106],
    [144, 214, -14 / 93, 108],
  ]) {
    if (x < x0 || x > x1) continue;
    const base = top + (x - (x0 === 42 ? 30 : 133)) * slope;
    for (let row = 0; row < 5; row += 1) if (Math.abs(y - (base + row * 18)) <= 1.6) return true;
  }
  return false;
};

// The trail: a cubic Bézier from the lower left page to the upper right one, sampled
// into a polyline that knows the distance walked, for the dashes.
const bezier = [
  [52, 176],
  [104, 206],
  [118, 110],
  [160, 150],
  [186, 174],
  [198, 130],
  [204, 112],
];
const trail = [];
{
  const segments = [bezier.slice(0, 4), bezier.slice(3, 7)];
  let walked = 0;
  let previous;
  for (const [p0, p1, p2, p3] of segments) {
    for (let i = 0; i <= 200; i += 1) {
      const t = i / 200;
      const u = 1 - t;
      const x = u ** 3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t ** 3 * p3[0];
      const y = u ** 3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t ** 3 * p3[1];
      if (previous) walked += Math.hypot(x - previous[0], y - previous[1]);
      previous = [x, y];
      trail.push([x, y, walked]);
    }
  }
}
const end = bezier[bezier.length - 1];
const onTrail = (x, y) => {
  if ((x - end[0]) ** 2 + (y - end[1]) ** 2 <= 13 ** 2) return (x - end[0]) ** 2 + (y - end[1]) ** 2 > 5 ** 2;
  let best = Infinity;
  let at = 0;
  for (const [px, py, walked] of trail) {
    const d = (x - px) ** 2 + (y - py) ** 2;
    if (d < best) {
      best = d;
      at = walked;
    }
  }
  // Dashes of 14 px with gaps of 9; the last stretch before the marker is left open.
  return best <= 4.2 ** 2 && at % 23 < 14 && at < trail[trail.length - 1][2] - 14;
};

function colourAt(x, y) {
  if (!inRoundedSquare(x, y, 52)) return undefined;
  if (onTrail(x, y)) return TRAIL;
  if (leftPage(x, y) || rightPage(x, y)) return onLine(x, y) ? LINE : PAGE;
  if (pageBlock(x, y)) return PAGE_EDGE;
  return BACKGROUND;
}

const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let py = 0; py < SIZE; py += 1) {
  for (let px = 0; px < SIZE; px += 1) {
    const sum = [0, 0, 0];
    let covered = 0;
    for (let sy = 0; sy < SAMPLES; sy += 1) {
      for (let sx = 0; sx < SAMPLES; sx += 1) {
        const colour = colourAt(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        if (!colour) continue;
        covered += 1;
        for (let c = 0; c < 3; c += 1) sum[c] += colour[c];
      }
    }
    const at = (py * SIZE + px) * 4;
    // Colours averaged over the covered samples (not darkened by the transparent ones).
    for (let c = 0; c < 3; c += 1) rgba[at + c] = covered ? Math.round(sum[c] / covered) : 0;
    rgba[at + 3] = Math.round((covered / SAMPLES ** 2) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bits per channel
header[9] = 6; // RGBA
// Each row starts with its filter type; 0 (none) is enough for an icon this simple.
const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y += 1) rgba.copy(rows, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = process.argv[2] ?? new URL('../media/icon.png', import.meta.url);
writeFileSync(out, png);
console.error(`icon: ${SIZE}×${SIZE}, ${png.length} bytes`);
