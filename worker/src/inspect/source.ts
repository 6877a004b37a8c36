/**
 * What citizens see: a site's live published version in R2 (cms-schema/publication.ts). Each pack a site's
 * manifest points into is read once, whole, and pages are cut from it — one R2 read per pack instead of one per
 * page, which is what makes a 普查 of 20k pages take minutes rather than hours. Everything that can be wrong with
 * a publication (no pointer, a manifest that does not parse, a pack or a byte range that is missing, a page that
 * does not decompress or is enormous) is reported as a problem of that page or site, never thrown.
 */
import { ManifestSchema, PointerSchema, publicationKeys as keys, type Manifest, type PageEntry, type Pointer } from '@ywtc/cms-schema';

/** Larger pages are not parsed (a logged skip): a real page of this platform is < 300 KB. */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024;

export type Opened = { ok: true; pointer: Pointer | null; manifest: Manifest } | { ok: false; reason: string };

/**
 * @param version a version other than the live one: a migrated site's hidden version, judged before its switch-over
 *        makes it live (import/switchover.ts); the pointer is then not read (null).
 */
export async function openSite(bucket: R2Bucket, siteId: string, version?: string): Promise<Opened> {
  if (version !== undefined) {
    const obj = await bucket.get(keys.manifest(siteId, version));
    const parsed = obj ? ManifestSchema.safeParse(await obj.json().catch(() => null)) : null;
    if (!parsed) return { ok: false, reason: `发布清单 ${version} 缺失` };
    return parsed.success ? { ok: true, pointer: null, manifest: parsed.data } : { ok: false, reason: `发布清单 ${version} 无法解析` };
  }
  const ptrObj = await bucket.get(keys.pointer(siteId));
  if (!ptrObj) return { ok: false, reason: '网站没有已发布的版本（发布指针缺失）' };
  const pointer = PointerSchema.safeParse(await ptrObj.json().catch(() => null));
  if (!pointer.success) return { ok: false, reason: '发布指针无法解析' };
  const manObj = await bucket.get(keys.manifest(siteId, pointer.data.version));
  if (!manObj) return { ok: false, reason: `发布清单 ${pointer.data.version} 缺失` };
  const manifest = ManifestSchema.safeParse(await manObj.json().catch(() => null));
  if (!manifest.success) return { ok: false, reason: `发布清单 ${pointer.data.version} 无法解析` };
  return { ok: true, pointer: pointer.data, manifest: manifest.data };
}

export type PageRead = { ok: true; html: string } | { ok: false; reason: string };

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Reads a site's pages from its packs: each pack fetched once (on first use) and kept for this site only. */
export class PackReader {
  private packs = new Map<string, Promise<Uint8Array<ArrayBuffer> | null>>();
  private decoder = new TextDecoder('utf-8', { fatal: true } as TextDecoderConstructorOptions);
  private bucket: R2Bucket;
  private siteId: string;
  constructor(bucket: R2Bucket, siteId: string) {
    this.bucket = bucket;
    this.siteId = siteId;
  }

  private pack(version: string): Promise<Uint8Array<ArrayBuffer> | null> {
    let p = this.packs.get(version);
    if (!p) {
      p = this.bucket.get(keys.pack(this.siteId, version)).then(async (o) => (o ? new Uint8Array(await o.arrayBuffer()) : null));
      this.packs.set(version, p);
    }
    return p;
  }

  async read(entry: PageEntry): Promise<PageRead> {
    const [version, offset, length, , , encoding] = entry;
    if (length > MAX_PAGE_BYTES) return { ok: false, reason: `页面过大（${Math.round(length / 1024)} KB），未检查` };
    const pack = await this.pack(version).catch(() => null);
    if (!pack) return { ok: false, reason: `页面数据包 ${version} 缺失` };
    if (offset + length > pack.length) return { ok: false, reason: `页面数据超出数据包 ${version} 的范围` };
    let bytes = pack.subarray(offset, offset + length);
    try {
      if (encoding === 'gzip') bytes = await gunzip(bytes);
      if (bytes.length > MAX_PAGE_BYTES) return { ok: false, reason: `页面过大（${Math.round(bytes.length / 1024)} KB），未检查` };
      return { ok: true, html: this.decoder.decode(bytes) };
    } catch {
      return { ok: false, reason: '页面数据损坏，无法解压或不是 UTF-8 文本' };
    }
  }
}
