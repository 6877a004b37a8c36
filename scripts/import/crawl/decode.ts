/**
 * Page bytes → text. Older government sites are often GB2312/GBK, declared in the Content-Type header, in a
 * `<meta>` tag, in both, or nowhere. The order is the browser's: a byte-order mark, the header, a `<meta>` in the
 * first 4 KB; failing all three, bytes that are valid UTF-8 are UTF-8 and anything else is read as GB18030 (the
 * superset of GB2312 and GBK, which TextDecoder maps those labels to anyway).
 */

const GB_LABELS = new Set(['gb2312', 'gbk', 'x-gbk', 'gb_2312-80', 'csgb2312', 'gb18030', 'chinese', 'iso-ir-58', 'csiso58gb231280']);

/** The TextDecoder encoding for a declared charset label, or null when unknown. */
export function encodingOf(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (GB_LABELS.has(l)) return 'gb18030';
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return null;
  }
}

export const charsetOfContentType = (contentType: string | null | undefined): string | null =>
  encodingOf(/charset\s*=\s*["']?([^\s;"']+)/i.exec(contentType ?? '')?.[1]);

/** `<meta charset="gbk">` or `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">` in the first 4 KB. */
export function charsetOfMeta(bytes: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  for (const m of head.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = m[0];
    const direct = /\bcharset\s*=\s*["']?([^\s"'/>;]+)/i.exec(tag);
    if (direct) {
      const enc = encodingOf(direct[1]);
      if (enc) return enc;
    }
  }
  return null;
}

function bomEncoding(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return null;
}

export interface Decoded {
  text: string;
  encoding: string;
  /** Where the encoding came from. */
  by: 'bom' | 'header' | 'meta' | 'sniff';
}

export function decodeHtml(bytes: Uint8Array, contentType?: string | null): Decoded {
  const bom = bomEncoding(bytes);
  if (bom) return { text: new TextDecoder(bom).decode(bytes), encoding: bom, by: 'bom' }; // TextDecoder drops the BOM
  const header = charsetOfContentType(contentType);
  if (header) return { text: new TextDecoder(header).decode(bytes), encoding: header, by: 'header' };
  const meta = charsetOfMeta(bytes);
  if (meta) return { text: new TextDecoder(meta).decode(bytes), encoding: meta, by: 'meta' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', by: 'sniff' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030', by: 'sniff' };
  }
}
