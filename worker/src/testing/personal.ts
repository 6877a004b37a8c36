/**
 * A small cluster for the 千人千网 tests: the region, Nanning and one of its counties, a few documents with
 * interest tags (one 失效), two 办事指南 for the same scene at different levels, and pages that carry the slots
 * the renderer puts in (sites/src/views: data-slot="personal", data-slot="hot-list") plus the 网站地图 page the
 * Worker's own pages are framed in.
 */
import { env } from 'cloudflare:test';
import { DocumentSchema, SiteSchema, TABLES, insertSql, toRow, type DocumentInput, type InterestCode } from '@ywtc/cms-schema';
import { SITES, page, publish, seedRegistry } from './sites.ts';

export const QINGXIU = SiteSchema.parse({
  ...SITES[1],
  id: 'qingxiu',
  name: '南宁市青秀区人民政府门户网站',
  kind: 'county-portal',
  parentId: 'nanning',
  divisionCode: '450103',
  domains: ['www.qingxiu.gov.cn'],
  idCode: '4501030001',
  psb: '桂公网安备 45010302000001号',
  sortOrder: 2,
});

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

interface Item {
  id: string;
  site: string;
  column: string;
  title: string;
  tags: [InterestCode, number][];
  days: number;
  validity?: '有效' | '失效';
  scenes?: string[];
}

export const ITEMS: Item[] = [
  { id: 'gx-sb-1', site: 'gxzf', column: 'zcwj', title: '关于调整城乡居民基础养老金的通知', tags: [['shebao', 0.9]], days: 3 },
  { id: 'gx-sb-2', site: 'gxzf', column: 'zcwj', title: '关于做好最低生活保障工作的通知', tags: [['shebao', 0.8]], days: 20 },
  { id: 'gx-sb-old', site: 'gxzf', column: 'zcwj', title: '已失效的社会保险旧规定', tags: [['shebao', 1]], days: 2, validity: '失效' },
  { id: 'gx-jy-1', site: 'gxzf', column: 'zcwj', title: '关于做好义务教育招生入学工作的通知', tags: [['jiaoyu', 0.9]], days: 5 },
  { id: 'nn-sb-1', site: 'nanning', column: 'tzgg', title: '南宁市社会保障卡换发通知', tags: [['shebao', 0.7]], days: 1 },
  { id: 'nn-zf-1', site: 'nanning', column: 'tzgg', title: '南宁市住房公积金提取新规', tags: [['zhufang', 0.9]], days: 2 },
  { id: 'qx-jy-1', site: 'qingxiu', column: 'yw', title: '青秀区中小学开学准备工作', tags: [['jiaoyu', 0.6]], days: 1 },
  { id: 'gx-guide-hy', site: 'gxzf', column: 'zwfw', title: '示例：结婚登记', tags: [['hunyin', 1]], days: 30, scenes: ['hy-jhdj'] },
  { id: 'qx-guide-hy', site: 'qingxiu', column: 'zwfw', title: '示例：结婚登记（青秀区）', tags: [['hunyin', 1]], days: 30, scenes: ['hy-jhdj'] },
];

function doc(i: Item): DocumentInput {
  const guide = i.scenes
    ? {
        basis: '《婚姻登记条例》（示例）',
        conditions: '符合条件的申请人（示例）',
        materials: ['身份证'],
        place: '政务服务中心（示例）',
        agency: '民政部门（示例）',
        fee: '不收费',
        hours: '工作日',
        phone: '12345',
        process: '申请、受理、办结',
        promiseDays: 1,
        scenes: i.scenes,
        onlineUrl: null,
      }
    : null;
  return {
    id: i.id,
    kind: guide ? 'guide' : 'policy',
    title: i.title,
    bodyHtml: `<p>${i.title}</p>`,
    summary: '',
    keywords: [],
    author: '',
    source: '测试',
    sourceUrl: null,
    publishedAt: ago(i.days),
    attachments: [],
    ownerSiteId: i.site,
    isDemo: i.title.startsWith('示例'),
    indexNumber: null,
    issuer: guide ? null : '测试机关',
    docNumber: null,
    writtenOn: null,
    issuedOn: null,
    topic: null,
    subjectWords: [],
    validity: guide ? null : (i.validity ?? '有效'),
    interests: [],
    guide: guide as DocumentInput['guide'],
  };
}

const slots = (title: string, home: boolean) =>
  page(
    title,
    `<header><a data-switch="mode" href="_mode?set=elder&amp;back=%2F">适老化模式</a></header><main><div class="personal-slot" data-slot="personal"></div>${
      home ? '<section data-slot="hot"><h2>热点信息</h2><ol class="hot-list" data-slot="hot-list"></ol></section>' : ''
    }</main>`,
  );

export const PERSONAL_FILES = {
  '/index.html': slots('广西壮族自治区人民政府门户网站', true),
  '/zcwj/gx-sb-1.html': slots('关于调整城乡居民基础养老金的通知', false),
  '/zcwj/gx-jy-1.html': slots('关于做好义务教育招生入学工作的通知', false),
  '/wzdt/index.html': page(
    '网站地图_广西壮族自治区人民政府门户网站',
    '<header class="site-header"><a data-switch="mode" href="../_mode?set=elder&amp;back=%2Fwzdt%2F">适老化模式</a></header><link rel="canonical" href="https://www.gxzf.gov.cn/wzdt/"><main id="main"><h1>网站地图</h1></main><footer>网站标识码 4500000001</footer>',
  ),
  '/404.html': page('页面不存在'),
};

export async function seedPersonal(): Promise<void> {
  await seedRegistry();
  const db = env.DB;
  const columns = [...new Set(ITEMS.map((i) => `${i.site}/${i.column}`))];
  await db.batch([
    db.prepare(insertSql(TABLES.sites)).bind(...toRow(TABLES.sites, QINGXIU)),
    db.prepare(insertSql(TABLES.siteHosts)).bind('www.qingxiu.gov.cn', 'qingxiu'),
    ...columns.map((id) => {
      const [site, slug] = id.split('/');
      return db.prepare(insertSql(TABLES.columns)).bind(
        ...toRow(TABLES.columns, {
          id,
          siteId: site!,
          parentId: null,
          slug: slug!,
          name: slug === 'zwfw' ? '办事服务' : '政策文件',
          kind: slug === 'zwfw' ? 'service' : 'policy',
          description: '测试栏目',
          keywords: [],
          sortOrder: 0,
        }),
      );
    }),
    ...ITEMS.map((i) => db.prepare(insertSql(TABLES.documents)).bind(...toRow(TABLES.documents, DocumentSchema.parse(doc(i))))),
    ...ITEMS.map((i) =>
      db.prepare('INSERT INTO placements (document_id, site_id, column_id, pinned) VALUES (?, ?, ?, 0)').bind(i.id, i.site, `${i.site}/${i.column}`),
    ),
    ...ITEMS.flatMap((i) =>
      i.tags.map(([interest, confidence]) =>
        db
          .prepare('INSERT INTO document_tags (document_id, interest, confidence, source, needs_review) VALUES (?, ?, ?, ?, 0)')
          .bind(i.id, interest, confidence, 'auto'),
      ),
    ),
  ]);
  await publish('gxzf', PERSONAL_FILES, 'v1');
}
