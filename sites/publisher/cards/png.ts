/**
 * PNG encoding of a card's pixels, faster than resvg-wasm's own encoder (asPng): rows deflated by node:zlib (native in Node, and in workerd with nodejs_compat) take a
 * few milliseconds. 8-bit RGBA, non-interlaced, filter None; resvg's pixels are premultiplied alpha.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.byteLength);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.byteLength, crc32(out, 4, 8 + data.byteLength));
  return out;
}

export function encodePng(width: number, height: number, premultiplied: Uint8Array): Uint8Array {
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  // Cards are opaque (a full-size background), where premultiplied and straight alpha are the same bytes: rows
  // are copied whole (filter None). Anything translucent is converted pixel by pixel.
  let opaque = true;
  for (let i = 3; i < premultiplied.length; i += 4)
    if (premultiplied[i] !== 255) {
      opaque = false;
      break;
    }
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    const src = premultiplied.subarray(y * stride, (y + 1) * stride);
    if (opaque) {
      raw.set(src, row + 1);
      continue;
    }
    for (let x = 0; x < stride; x += 4) {
      const a = src[x + 3]!;
      const un = (c: number) => (a === 0 || a === 255 ? c : Math.min(255, Math.round((c * 255) / a)));
      raw[row + 1 + x] = un(src[x]!);
      raw[row + 2 + x] = un(src[x + 1]!);
      raw[row + 3 + x] = un(src[x + 2]!);
      raw[row + 4 + x] = a;
    }
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 4 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
