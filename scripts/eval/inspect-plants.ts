/**
 * Defects planted into a copy of a published cluster for `npm run eval:inspect`, each as a citizen or the
 * content store would show it: pages rewritten in R2 the way a broken template, a careless edit or a stale
 * column would leave them (a new pack, manifest and pointer — a publish), rows changed in D1 the way a back-dated
 * edit, an unanswered 留言 or a missing 解读 would leave them, probe history the way a week of a slow or failing
 * home page would leave it. Every plant names the finding it should produce (kind, site, page, target).
 */
import { ManifestSchema, PointerSchema, commitPointer, publicationKeys as keys, type Manifest, type PageEntry } from '@ywtc/cms-schema';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { FindingKind } from '@ywtc/cms-schema';

export interface Plant {
  kind: FindingKind;
  siteId: string;
  url: string;
  /** When set, the finding's target must match too. */
  target?: string;
  what: string;
}

type Bucket = R2Bucket;

async function live(bucket: Bucket, siteId: string): Promise<{ version: string; manifest: Manifest }> {
  const ptr = PointerSchema.parse(await (await bucket.get(keys.pointer(siteId)))!.json());
  const manifest = ManifestSchema.parse(await (await bucket.get(keys.manifest(siteId, ptr.version)))!.json());
  return { version: ptr.version, manifest };
}

export async function readPage(bucket: Bucket, siteId: string, path: string): Promise<string> {
  const { manifest } = await live(bucket, siteId);
  const e = manifest.pages[path];
  if (!e) throw new Error(`${siteId}${path} is not published`);
  const o = await bucket.get(keys.pack(siteId, e[0]), { range: { offset: e[1], length: e[2] } });
  const b = new Uint8Array(await o!.arrayBuffer());
  return new TextDecoder().decode(e[5] === 'gzip' ? gunzipSync(b) : b);
}

export async function pagePaths(bucket: Bucket, siteId: string): Promise<string[]> {
  return Object.keys((await live(bucket, siteId)).manifest.pages);
}

/**
 * Publishes a site again with some pages changed (edit → new HTML) or given raw entries (bytes as they are,
 * or an entry pointing where nothing is): one new pack and manifest, then the pointer — as the publisher does.
 */
export async function rewriteSite(
  bucket: Bucket,
  siteId: string,
  edits: Record<string, (html: string) => string>,
  raw: Record<string, { bytes?: Uint8Array; entry?: PageEntry }> = {},
): Promise<void> {
  const { version: old, manifest } = await live(bucket, siteId);
  const version = `${Date.now().toString(36)}-plant${Math.random().toString(36).slice(2, 6)}`;
  const parts: Uint8Array[] = [];
  let offset = 0;
  const pages = { ...manifest.pages };
  const add = (path: string, bytes: Uint8Array) => {
    pages[path] = [version, offset, bytes.length, createHash('sha256').update(bytes).digest('hex').slice(0, 32), 'text/html; charset=utf-8', 'identity'];
    parts.push(bytes);
    offset += bytes.length;
  };
  for (const [path, edit] of Object.entries(edits)) add(path, new TextEncoder().encode(edit(await readPage(bucket, siteId, path))));
  for (const [path, r] of Object.entries(raw)) {
    if (r.bytes) add(path, r.bytes);
    if (r.entry) pages[path] = r.entry;
  }
  const pack = new Uint8Array(offset);
  parts.reduce((at, p) => (pack.set(p, at), at + p.length), 0);
  await bucket.put(keys.pack(siteId, version), pack);
  await bucket.put(keys.manifest(siteId, version), JSON.stringify({ ...manifest, version, createdAt: new Date().toISOString(), pages }));
  const ptr = PointerSchema.parse(await (await bucket.get(keys.pointer(siteId)))!.json());
  if (!(await commitPointer(bucket, siteId, { ...ptr, version, publishedAt: new Date().toISOString() }, old))) throw new Error(`pointer of ${siteId} moved`);
}

/** Inserts HTML at the start of a page's article body (or of <main>). */
export function intoBody(snippet: string) {
  return (html: string) => {
    const m = /<div class="doc-body[^"]*">/.exec(html) ?? /<main[^>]*>/.exec(html);
    if (!m) throw new Error('page has no body to plant into');
    return html.slice(0, m.index + m[0].length) + snippet + html.slice(m.index + m[0].length);
  };
}

/** Moves every date a page shows in its main part `days` into the past (relative to `now`). */
export function ageDates(days: number, now: Date) {
  const old = new Date(now.getTime() - days * 86_400_000);
  const iso = old.toISOString().replace(/\.\d+Z$/, 'Z');
  const shown = `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  return (html: string) => {
    const start = html.indexOf('<main');
    const end = html.indexOf('</main>');
    const main = html.slice(start, end).replace(/<time datetime="[^"]*">[^<]*<\/time>/g, `<time datetime="${iso}">${shown}</time>`);
    return html.slice(0, start) + main + html.slice(end);
  };
}

/** Empties a list page: its list items go (as a column with nothing in it renders). */
export const emptyList = (html: string) => html.replace(/<ul class="doc-list">[\s\S]*?<\/ul>/g, '<ul class="doc-list"></ul>');

export const sha = (s: string) => createHash('sha256').update(s).digest('hex');
