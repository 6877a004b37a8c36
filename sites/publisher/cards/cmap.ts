/** The code points an sfnt font maps to glyphs (its cmap, formats 4 and 12): what a card can show without tofu. */
export function cmapCodePoints(font: Uint8Array): Set<number> {
  const v = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const numTables = v.getUint16(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) if (v.getUint32(12 + i * 16) === 0x636d6170 /* 'cmap' */) cmap = v.getUint32(12 + i * 16 + 8);
  if (cmap < 0) throw new Error('font has no cmap table');
  const out = new Set<number>();
  const subtables = v.getUint16(cmap + 2);
  for (let i = 0; i < subtables; i++) {
    const platform = v.getUint16(cmap + 4 + i * 8),
      encoding = v.getUint16(cmap + 6 + i * 8);
    if (platform !== 3 && platform !== 0) continue;
    if (platform === 3 && encoding !== 1 && encoding !== 10) continue;
    const at = cmap + v.getUint32(cmap + 8 + i * 8);
    const format = v.getUint16(at);
    if (format === 4) {
      const segs = v.getUint16(at + 6) / 2;
      const ends = at + 14,
        starts = ends + segs * 2 + 2,
        deltas = starts + segs * 2,
        offsets = deltas + segs * 2;
      for (let s = 0; s < segs; s++) {
        const end = v.getUint16(ends + s * 2),
          start = v.getUint16(starts + s * 2),
          delta = v.getUint16(deltas + s * 2),
          ro = v.getUint16(offsets + s * 2);
        for (let c = start; c <= end && c !== 0xffff; c++) {
          let glyph: number;
          if (ro === 0) glyph = (c + delta) & 0xffff;
          else {
            const g = v.getUint16(offsets + s * 2 + ro + (c - start) * 2);
            glyph = g === 0 ? 0 : (g + delta) & 0xffff;
          }
          if (glyph !== 0) out.add(c);
        }
      }
    } else if (format === 12) {
      const groups = v.getUint32(at + 12);
      for (let g = 0; g < groups; g++) {
        const start = v.getUint32(at + 16 + g * 12),
          end = v.getUint32(at + 20 + g * 12),
          glyph = v.getUint32(at + 24 + g * 12);
        for (let c = start; c <= end; c++) if (glyph + (c - start) !== 0) out.add(c);
      }
    }
  }
  return out;
}
