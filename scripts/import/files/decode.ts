/**
 * Bytes of an export file → text, chunk by chunk, so a 2 GB file never sits in memory. Exports from older
 * platforms come in UTF-8 (with or without a BOM) or GBK/GB2312 (read as GB18030, their superset). `auto` follows
 * a BOM when there is one; otherwise the bytes stay undecided while they are plain ASCII (the same in both), and
 * the first stretch with non-ASCII bytes decides: strict UTF-8 if it decodes as such, else GB18030. Once decided,
 * bytes that do not decode become U+FFFD, which the readers report as a failed record rather than a crash.
 */
import { createReadStream } from 'node:fs';

export type FileEncoding = 'auto' | 'utf-8' | 'gb18030';
export type ResolvedEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** Enough bytes after the first non-ASCII one for a decision that a stray byte cannot sway. */
const SNIFF_BYTES = 4096;

const BOMS: [ResolvedEncoding, number[]][] = [
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

function bomOf(b: Uint8Array): [ResolvedEncoding, number] | null {
  for (const [enc, bom] of BOMS) if (b.length >= bom.length && bom.every((x, i) => b[i] === x)) return [enc, bom.length];
  return null;
}

const firstHighByte = (b: Uint8Array): number => b.findIndex((x) => x >= 0x80);

function isStrictUtf8(b: Uint8Array): boolean {
  try {
    // stream: true — a character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(b, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Decodes `chunks` to text; `onEncoding` is told which encoding was used as soon as it is known. */
export async function* decodeChunks(
  chunks: AsyncIterable<Uint8Array>,
  encoding: FileEncoding = 'auto',
  onEncoding?: (e: ResolvedEncoding) => void,
): AsyncGenerator<string> {
  const state: { decoder: TextDecoder | null } = { decoder: null };
  const start = (enc: ResolvedEncoding, bytes: Uint8Array): string => {
    state.decoder = new TextDecoder(enc);
    onEncoding?.(enc);
    return state.decoder.decode(bytes, { stream: true });
  };
  let head: Uint8Array[] = []; // bytes kept until the BOM / the encoding is known
  let headBytes = 0;
  let highAt = -1; // offset in head of the first non-ASCII byte
  let bomChecked = false;
  for await (const chunk of chunks) {
    if (state.decoder) {
      yield state.decoder.decode(chunk, { stream: true });
      continue;
    }
    head.push(chunk);
    headBytes += chunk.length;
    const bytes = concat(head);
    if (!bomChecked) {
      if (bytes.length < 3) continue; // a BOM is at most three bytes
      bomChecked = true;
      const bom = bomOf(bytes);
      if (bom) yield start(bom[0], bytes.subarray(bom[1]));
      else if (encoding !== 'auto') yield start(encoding, bytes);
      if (state.decoder) continue;
    }
    if (highAt < 0) {
      const at = firstHighByte(bytes);
      if (at < 0) {
        // Plain ASCII so far: the same text in either encoding, passed on at once.
        yield new TextDecoder('utf-8').decode(bytes);
        head = [];
        headBytes = 0;
        continue;
      }
      highAt = at;
    }
    if (headBytes - highAt < SNIFF_BYTES) continue;
    yield start(isStrictUtf8(bytes) ? 'utf-8' : 'gb18030', bytes);
  }
  if (!state.decoder) {
    const bytes = concat(head);
    const bom = bomOf(bytes);
    const text = bom ? start(bom[0], bytes.subarray(bom[1])) : start(encoding !== 'auto' ? encoding : isStrictUtf8(bytes) ? 'utf-8' : 'gb18030', bytes);
    if (text) yield text;
  }
  const tail = state.decoder?.decode() ?? '';
  if (tail) yield tail;
}

/** A file's text, streamed in 64 KB chunks. */
export function decodeFile(path: string, encoding: FileEncoding = 'auto', onEncoding?: (e: ResolvedEncoding) => void): AsyncGenerator<string> {
  return decodeChunks(createReadStream(path, { highWaterMark: 64 * 1024 }) as AsyncIterable<Uint8Array>, encoding, onEncoding);
}
