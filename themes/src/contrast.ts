/** WCAG 2.x contrast: relative luminance of sRGB colours and the ratio between two of them. */

const channel = (c: number) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

export function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** AA: 4.5:1 for normal text, 3:1 for large text (≥ 18 pt, or 14 pt bold) and for focus outlines and borders. */
export const AA_TEXT = 4.5;
export const AA_LARGE = 3;
