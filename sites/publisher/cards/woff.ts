/**
 * WOFF 1.0 → sfnt (TTF/OTF): the font packages ship WOFF, HarfBuzz's subsetter reads sfnt. Each table is
 * zlib-compressed on its own; this inflates them into a plain sfnt with the same tables. No Node APIs beyond
 * node:zlib, which workerd provides with nodejs_compat.
 */
import { inflateSync } from 'node:zlib';

export function isWoff(bytes: Uint8Array): boolean {
  return bytes.byteLength > 4 && bytes[0] === 0x77 && bytes[1] === 0x4f && bytes[2] === 0x46 && bytes[3] === 0x46; // 'wOFF'
}

export function woffToSfnt(woff: Uint8Array): Uint8Array {
  if (!isWoff(woff)) return woff;
  const v = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  const flavor = v.getUint32(4);
  const numTables = v.getUint16(12);
  const tables: { tag: number; checksum: number; data: Uint8Array }[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const tag = v.getUint32(at),
      offset = v.getUint32(at + 4),
      compLength = v.getUint32(at + 8),
      origLength = v.getUint32(at + 12),
      checksum = v.getUint32(at + 16);
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? new Uint8Array(inflateSync(raw)) : raw;
    if (data.byteLength !== origLength) throw new Error(`woff: table ${i} inflates to ${data.byteLength}, expected ${origLength}`);
    tables.push({ tag, checksum, data });
  }
  tables.sort((a, b) => a.tag - b.tag);
  const headerLength = 12 + numTables * 16;
  let size = headerLength;
  for (const t of tables) size += (t.data.byteLength + 3) & ~3;
  const out = new Uint8Array(size);
  const o = new DataView(out.buffer);
  let entrySelector = 0;
  while (2 ** (entrySelector + 1) <= numTables) entrySelector++;
  const searchRange = 2 ** entrySelector * 16;
  o.setUint32(0, flavor);
  o.setUint16(4, numTables);
  o.setUint16(6, searchRange);
  o.setUint16(8, entrySelector);
  o.setUint16(10, numTables * 16 - searchRange);
  let offset = headerLength;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    o.setUint32(at, t.tag);
    o.setUint32(at + 4, t.checksum);
    o.setUint32(at + 8, offset);
    o.setUint32(at + 12, t.data.byteLength);
    out.set(t.data, offset);
    offset += (t.data.byteLength + 3) & ~3;
  });
  return out;
}
