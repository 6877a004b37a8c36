/**
 * /favicon.ico on every host. Browsers ask for it on every page that names no icon — the admin, search, 模板库
 * and error pages are the Worker's own — and each ask was a 404 in the console and the logs. A real icon
 * instead: 16×16, drawn here as a 32-bit ICO (a document page, white on the platform's red), 1,150 bytes.
 */
import type { Context } from 'hono';

const SIZE = 16;
const RED = [0x1b, 0x12, 0xb3, 0xff]; // BGRA of #b3121b, the admin header's red
const WHITE = [0xff, 0xff, 0xff, 0xff];

/** Row 0 is the top. A sheet of paper with four lines of text. */
function pixel(x: number, y: number): number[] {
  const sheet = x >= 4 && x <= 11 && y >= 2 && y <= 13;
  const line = x >= 6 && x <= 9 && (y === 5 || y === 7 || y === 9 || y === 11);
  return sheet && !line ? WHITE : RED;
}

function ico(): Uint8Array {
  const pixels = SIZE * SIZE * 4;
  const mask = SIZE * 4; // 1 bit a pixel, rows padded to 32 bits: all 0 (opaque; alpha is in the pixels)
  const image = 40 + pixels + mask;
  const out = new Uint8Array(6 + 16 + image);
  const v = new DataView(out.buffer);
  v.setUint16(2, 1, true); // type: icon
  v.setUint16(4, 1, true); // one image
  out[6] = SIZE;
  out[7] = SIZE;
  v.setUint16(10, 1, true); // planes
  v.setUint16(12, 32, true); // bits per pixel
  v.setUint32(14, image, true);
  v.setUint32(18, 22, true); // offset of the image
  v.setUint32(22, 40, true); // BITMAPINFOHEADER
  v.setInt32(26, SIZE, true);
  v.setInt32(30, SIZE * 2, true); // the colour rows and the mask rows
  v.setUint16(34, 1, true);
  v.setUint16(36, 32, true);
  v.setUint32(42, pixels + mask, true);
  // Bottom row first.
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) out.set(pixel(x, SIZE - 1 - y), 62 + (y * SIZE + x) * 4);
  return out;
}

export const FAVICON = ico();

export const favicon = (c: Context) =>
  c.body(FAVICON.slice(), 200, { 'Content-Type': 'image/x-icon', 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff' });
