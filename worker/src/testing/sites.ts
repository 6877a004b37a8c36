/**
 * A two-site cluster for Worker tests: registry rows through the real table mapping, pages published through
 * the real pack builder and publication layout. Page bytes are small hand-written HTML — rendering is the
 * publisher's job and has its own tests; here we test serving.
 */
import { env } from 'cloudflare:test';
import { SiteSchema, TABLES, insertSql, publicationKeys as keys, toRow, type Manifest, type Pointer, type Site } from '@ywtc/cms-schema';
import { buildPack, prepareFile } from '@ywtc/sites/edge';

const base = {
  domainListed: true,
  icp: '桂ICP备12000001号',
  sponsor: '广西壮族自治区人民政府办公厅',
  contact: { phone: '0771-12345', address: '广西壮族自治区' },
  themeId: 'portal-red',
};
export const SITES: Site[] = [
  SiteSchema.parse({
    ...base,
    id: 'gxzf',
    name: '广西壮族自治区人民政府门户网站',
    kind: 'province-portal',
    parentId: null,
    divisionCode: '450000',
    domains: ['www.gxzf.gov.cn'],
    idCode: '4500000001',
    psb: '桂公网安备 45000002000001号',
    sortOrder: 0,
  }),
  SiteSchema.parse({
    ...base,
    id: 'nanning',
    name: '南宁市人民政府门户网站',
    kind: 'city-portal',
    parentId: 'gxzf',
    divisionCode: '450100',
    domains: ['www.nanning.gov.cn', 'nanning.gov.cn'],
    idCode: '4501000001',
    psb: '桂公网安备 45010002000001号',
    sortOrder: 1,
  }),
];

export async function seedRegistry() {
  await env.DB.batch([
    ...SITES.map((s) => env.DB.prepare(insertSql(TABLES.sites)).bind(...toRow(TABLES.sites, s))),
    ...SITES.flatMap((s) => s.domains.map((host) => env.DB.prepare(insertSql(TABLES.siteHosts)).bind(host, s.id))),
  ]);
}

export const page = (title: string, extra = '') =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="_astro/site.css"></head><body><h1>${title}</h1>${extra}</body></html>`;

const enc = new TextEncoder();
/** Writes pack and manifest of a new version; moves the pointer only when `commit` is true. */
export async function publish(siteId: string, files: Record<string, string>, version: string, commit = true): Promise<Manifest> {
  const ptr = await env.PAGES.get(keys.pointer(siteId));
  const previous = ptr ? ((await (await env.PAGES.get(keys.manifest(siteId, ((await ptr.json()) as Pointer).version)))!.json()) as Manifest) : null;
  const packed = buildPack(version, new Map(Object.entries(files).map(([p, s]) => [p, prepareFile(p, enc.encode(s))])), previous);
  if (packed.pack.byteLength) await env.PAGES.put(keys.pack(siteId, version), packed.pack);
  const manifest: Manifest = { siteId, version, createdAt: new Date().toISOString(), pages: packed.pages };
  await env.PAGES.put(keys.manifest(siteId, version), JSON.stringify(manifest));
  if (commit) {
    const pointer: Pointer = {
      version,
      publishedAt: new Date().toISOString(),
      rendererHash: 'test',
      contentRevision: version,
      pageCount: Object.keys(files).length,
    };
    await env.PAGES.put(keys.pointer(siteId), JSON.stringify(pointer));
  }
  return manifest;
}

export const GXZF_FILES = {
  '/index.html': page('广西壮族自治区人民政府门户网站', '<a href="yw/">要闻动态</a>'),
  '/yw/index.html': page('要闻动态', '<a href="a1.html">示例：第一篇</a>'),
  '/yw/a1.html': page('示例：第一篇'),
  // Large enough to be stored gzip-compressed.
  '/yw/long.html': page('示例：长文', '<p>' + '政务公开是建设法治政府的重要内容。'.repeat(200) + '</p>'),
  '/404.html': page('页面不存在', '<a href="./">返回首页</a>'),
  '/_astro/site.css': 'body{color:#111}',
  '/rss.xml': '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
};
