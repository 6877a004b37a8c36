/**
 * Assembles the cluster's content: real documents reposted (转载) with their true issuer, number, dates and
 * 来源 onto the Guangxi sites whose columns carry them, real policy Q&A with the notices they cite, and 示例
 * items for each unit's own columns. Everything passes the cms-schema zod schemas before anything is stored;
 * a bad record stops the seed with the record and field named.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ColumnSchema,
  DocumentSchema,
  InterpretationLinkSchema,
  PlacementSchema,
  QaEntrySchema,
  cstInstant,
  escapeHtml,
  formatIssues,
  isPortalKind,
  textToHtml,
  type Column,
  type Document,
  type DocumentInput,
  type InterpretationLink,
  type Placement,
  type QaEntry,
  type Site,
} from '@ywtc/cms-schema';
import { columnsFor } from './columns.ts';
import { demoGuide, loadRealGuides, scenesFor, type RealGuide } from './guides.ts';
import { documentArea, parseSynonyms } from '@ywtc/search';
import { NO_DISCLOSURE_METADATA, demoInterpretation, demoItem, disclosureGuide, disclosureReport, rng, type DemoKind } from './demo-text.ts';
import { readJsonl } from '../lib/jsonl.ts';

export interface SourcePolicy {
  id: string;
  title: string;
  issuer: string | null;
  doc_number: string | null;
  date: string;
  publish_date?: string | null;
  topic?: string | null;
  index_number?: string | null;
  body: string;
  url?: string | null;
  source_repo: string;
  source_path?: string | null;
  /** The province whose site the record was crawled from (河北省), for records that are not national. */
  region?: string | null;
  doc_type: string;
  validity?: string | null;
  related_doc_number?: string | null;
  info?: string | null;
  category?: string | null;
}
/** A Guangxi unit's own document (../shared/data/guangxi/policies-gx.jsonl), with its provenance. */
export interface GuangxiPolicy {
  id: string;
  title: string;
  issuer: string;
  doc_number: string | null;
  /** 成文日期: a day, or only the cover's month (2023-01). */
  date: string | null;
  publish_date: string | null;
  topic: string | null;
  index_number: string | null;
  body: string;
  url: string | null;
}
export interface SourceQa {
  id: string;
  question: string;
  answer: string;
  docid: string;
}
export interface SourceQaDoc {
  docid: string;
  title_guess: string | null;
  text: string;
}
export interface ContentSource {
  policies: SourcePolicy[];
  guangxiPolicies: GuangxiPolicy[];
  qa: SourceQa[];
  qaDocs: SourceQaDoc[];
  synonyms: string[][];
  guides: RealGuide[];
}

export function loadContentSource(dir = join(import.meta.dirname, 'data')): ContentSource {
  return {
    policies: readJsonl<SourcePolicy>(join(dir, 'policies.jsonl')),
    guangxiPolicies: readJsonl<GuangxiPolicy>(join(dir, 'policies-gx.jsonl')),
    qa: readJsonl<SourceQa>(join(dir, 'policy-qa.jsonl')),
    qaDocs: readJsonl<SourceQaDoc>(join(dir, 'qa-source-docs.jsonl')),
    // The reviewed search dictionary lives with the search package; the seed loads it into D1 for admins to edit.
    synonyms: parseSynonyms(readFileSync(join(import.meta.dirname, '../../search/data/synonyms.tsv'), 'utf8')),
    guides: loadRealGuides(dir),
  };
}

export interface Content {
  columns: Column[];
  documents: Document[];
  placements: Placement[];
  links: InterpretationLink[];
  qa: QaEntry[];
  synonyms: string[][];
  /**
   * Documents of other provinces (and notices whose author the data does not name) kept in the store as a reference
   * corpus: stored and labelled by their issuer or 来源, placed on no site — no Guangxi unit's column carries them.
   */
  reference: string[];
}
export interface ContentOptions {
  now: Date;
  /** 示例 items per news column; the benchmark raises it to reach its documents-per-site target. */
  newsPerColumn: number;
}

export class SeedError extends Error {}

/** Text with Markdown chapter headings: `## 第一章 总则` → <h2>, `### 第一节` → <h3>, other lines → <p>. */
export function lawTextToHtml(text: string): string {
  return text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const h = /^(#{1,4})\s*(.+)$/.exec(l);
      if (!h) return textToHtml(l);
      const level = h[1]!.length <= 2 ? 2 : 3;
      return `<h${level}>${escapeHtml(h[2]!.trim())}</h${level}>`;
    })
    .join('\n');
}

/** The unit a site speaks for, used in demo text: 南宁市人民政府, 中共南宁市委员会, 南宁市人大常委会 ... */
export function unitName(site: Site): string {
  const n = site.name;
  switch (site.kind) {
    case 'discipline-commission':
      return n.replace(/纪检监察网$/, '纪委监委');
    case 'people-congress':
      return n.replace(/人大网站$/, '人大常委会');
    default:
      return n.replace(/(门户)?网站$/, '');
  }
}

/** Keywords that route national documents to the department whose work they concern. */
const DEPARTMENT_TOPICS: Record<string, string[]> = {
  fgw: ['发展', '改革', '价格', '投资', '营商'],
  jyt: ['教育', '学校', '学生'],
  gat: ['公安', '治安', '道路交通', '户籍'],
  mzt: ['民政', '养老', '救助', '殡葬', '社会组织'],
  sft: ['司法', '法治', '律师', '公证'],
  rst: ['人力资源', '社会保障', '就业', '工资', '社会保险'],
  zjt: ['住房', '建设', '建筑', '城镇'],
  nynct: ['农业', '农村', '乡村', '粮食'],
  wlt: ['文化', '旅游', '文物'],
  sjt: ['审计', '财政'],
  yjj: ['药品', '医疗器械', '疫苗'],
  jyj: ['监狱', '戒毒'],
  wsjkw: ['卫生', '健康', '医疗', '疾病'],
  tjj: ['统计', '普查'],
  ybj: ['医疗保障', '医保', '医疗保险'],
  zyyj: ['中医', '中药'],
  dnr: ['自然资源', '土地', '矿产', '测绘'],
};
const ZONE_TOPICS = ['自由贸易', '开放', '外商', '口岸', '营商', '开发区', '园区'];

const MINUTE = 60_000;

export function buildContent(sites: Site[], src: ContentSource, opts: ContentOptions): Content {
  const errors: string[] = [];
  const documents = new Map<string, Document>();
  const placements: Placement[] = [];
  const links: InterpretationLink[] = [];
  const columns = sites.flatMap(columnsFor);
  const columnById = new Map(columns.map((c) => [c.id, c]));
  const isLeaf = new Set(columns.map((c) => c.id));
  for (const c of columns) if (c.parentId) isLeaf.delete(c.parentId);
  const region = sites.find((s) => s.kind === 'province-portal')!;
  const reference: string[] = [];

  const addDoc = (input: DocumentInput) => {
    const parsed = DocumentSchema.safeParse(input);
    if (!parsed.success) errors.push(...formatIssues(`文档 ${input.id}`, parsed.error));
    else documents.set(parsed.data.id, parsed.data);
  };
  const place = (documentId: string, site: Site, slug: string) => {
    const columnId = `${site.id}/${slug}`;
    if (!columnById.has(columnId)) throw new SeedError(`文档 ${documentId}: 字段 columnId: 站点 ${site.id} 没有栏目 ${slug}`);
    placements.push({ documentId, siteId: site.id, columnId, pinned: 0 });
  };

  // Real documents. National ones are reposted (转载) by the regional portal with their true issuer and 来源;
  // another province's stay in the store as reference (no placement: no Guangxi unit's column shows them).
  const bodyText = new Map<string, string>();
  const byNumber = new Map<string, SourcePolicy>();
  const national: SourcePolicy[] = [];
  const regulations: SourcePolicy[] = [];
  for (const p of src.policies) {
    const isStateCouncil = p.source_repo === 'ZhouYNF/platform-1';
    const isRegulation = p.source_repo === 'LawRefBook/Laws';
    const isInterpretation = p.doc_type === '政策解读';
    const issued = p.publish_date ?? p.date;
    const text = p.body.replace(/\r/g, '');
    bodyText.set(p.id, text);
    if (p.doc_number) byNumber.set(p.doc_number, p);
    // A provincial site's crawl names the office whose pages it came from (河北政府网站/5科学技术厅-…): that office is
    // the 来源, and for its own numbered files (冀科…) the issuer — not the provincial government.
    const office = p.region && p.source_path ? /\/\d*([^/-]+)-/.exec(p.source_path)?.[1] : undefined;
    const crawledFrom = p.region && office ? p.region + office : null;
    // LawRefBook texts mark chapters with Markdown headings (“## 第一章 总则”); they become real headings.
    const body = isRegulation ? lawTextToHtml(text) : textToHtml(text);
    const preface = isRegulation && p.info ? `<p class="doc-history">${textToHtml(`（${p.info.replace(/[（）]/g, '')}）`).slice(3, -4)}</p>\n` : '';
    addDoc({
      id: p.id,
      kind: isRegulation ? 'regulation' : isInterpretation ? 'interpretation' : 'policy',
      title: p.title,
      bodyHtml: preface + body,
      summary: text
        .replace(/^#+\s*/gm, '')
        .replace(/\s+/g, ' ')
        .slice(0, 150),
      keywords: p.topic
        ? p.topic
            .split(/[\\、]/)
            .filter(Boolean)
            .slice(0, 5)
        : [],
      author: '',
      source: isStateCouncil ? '中国政府网' : isRegulation ? '国务院' : crawledFrom ? `${crawledFrom}网站` : (p.issuer ?? '未收录'),
      sourceUrl: p.url ?? null,
      publishedAt: cstInstant(issued, '00:00'),
      attachments: [],
      ownerSiteId: region.id,
      isDemo: false,
      indexNumber: p.index_number ?? null,
      issuer: p.issuer ?? (isInterpretation ? null : crawledFrom),
      docNumber: p.doc_number ?? null,
      writtenOn: p.date,
      issuedOn: issued,
      topic: p.topic ? p.topic.replace(/\\/g, '/') : (p.category ?? null),
      subjectWords: [],
      validity: p.validity === '有效' || p.validity === '失效' || p.validity === '废止' ? p.validity : null,
      interests: [],
      guide: null,
    });
    if (isStateCouncil) {
      national.push(p);
      place(p.id, region, 'gwywj');
    } else if (isRegulation) {
      regulations.push(p);
      place(p.id, region, 'xzfg');
    } else reference.push(p.id); // crawled from 河北's sites: even the two 部委 files there are 河北's copies (来源)
  }
  for (const p of src.policies) {
    if (p.doc_type !== '政策解读' || !p.related_doc_number) continue;
    const policy = byNumber.get(p.related_doc_number);
    if (policy) links.push({ policyId: policy.id, interpretationId: p.id });
  }
  national.sort((a, b) => a.id.localeCompare(b.id));

  // Guangxi's own documents (../shared/data/guangxi): on the site of the unit that issued them, or — for a regional
  // department without a site in the registry — in the regional portal's 自治区部门文件, as gxzf.gov.cn carries them.
  for (const g of src.guangxiPolicies) {
    const unitSite = sites.find((s) => s.sponsor === g.issuer || unitName(s) === g.issuer);
    const home = g.issuer === '广西壮族自治区人民政府' || g.issuer === '广西壮族自治区人民政府办公厅' ? region : (unitSite ?? region);
    const slug =
      home !== region
        ? columns.find((c) => c.siteId === home.id && c.kind === 'policy' && c.parentId === null)!.slug
        : g.issuer.endsWith('人民政府') || g.issuer.endsWith('人民政府办公厅')
          ? 'zzqwj'
          : 'zzqbmwj';
    const text = g.body.replace(/\r/g, '');
    bodyText.set(g.id, text);
    // Four 预案 carry only their cover month (二〇二三年一月): no day is made up for 成文日期; the listing date is
    // the month's first day, and the page shows the cover as written.
    const day = (d: string | null) => (d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : null);
    const published = g.publish_date ?? day(g.date) ?? `${g.date ?? '2021-01'}-01`;
    addDoc({
      id: g.id,
      kind: 'policy',
      title: g.title,
      bodyHtml: textToHtml(text),
      summary: text.replace(/\s+/g, ' ').slice(0, 150),
      keywords: [],
      author: '',
      source: g.url ? '广西壮族自治区人民政府门户网站' : g.issuer,
      sourceUrl: g.url,
      publishedAt: /T/.test(published) ? published.replace('.000Z', 'Z') : cstInstant(published, '00:00'),
      attachments: [],
      ownerSiteId: home.id,
      isDemo: false,
      indexNumber: g.index_number,
      issuer: g.issuer,
      docNumber: g.doc_number,
      writtenOn: day(g.date),
      issuedOn: day(g.publish_date?.slice(0, 10) ?? null) ?? day(g.date),
      topic: g.topic,
      subjectWords: [],
      validity: null,
      interests: [],
      guide: null,
    });
    place(g.id, home, slug);
  }

  // Epidemic-period notices cited by the Q&A: their issuers are not in the data set, so 来源 says where the text is
  // from. The regional portal's 疫情防控 column reposts those whose title names a central organ or Guangxi as their
  // author; the others (温州, 北京市…, news of other provinces, or no author named) stay in the store as reference.
  const placedNotices = new Set<string>();
  for (const d of src.qaDocs) {
    // title_guess is the data set's guess and sometimes runs into the text: keep its first phrase when it is long.
    const guess = (d.title_guess ?? d.text.split(/[。\n]/)[0] ?? '').trim();
    const title = guess.length > 60 ? (guess.split(/\s+/).find((w) => w.length >= 8) ?? guess).slice(0, 60) : guess;
    addDoc({
      id: `ncp-${d.docid}`,
      kind: 'notice',
      title: title.length >= 2 ? title : `疫情防控政策通知 ${d.docid.slice(0, 8)}`,
      bodyHtml: textToHtml(d.text.replace(/\s{2,}/g, '\n')),
      summary: d.text.replace(/\s+/g, ' ').slice(0, 150),
      keywords: ['疫情防控'],
      author: '',
      source: '2020年疫情政务问答数据集（原发布单位未收录）',
      sourceUrl: null,
      // The data set records no publish dates; 2020-03-01 is the date the set was published, so these are no later than that.
      publishedAt: cstInstant('2020-03-01', '00:00'),
      attachments: [],
      ownerSiteId: region.id,
      isDemo: false,
      indexNumber: null,
      issuer: null,
      docNumber: null,
      writtenOn: null,
      issuedOn: null,
      topic: '疫情防控',
      subjectWords: [],
      validity: null,
      interests: [],
      guide: null,
    });
    // Whose notice it is, read as search reads it for its 地区 label (search/src/area.ts): from the title, else the text's opening.
    const scope = (documentArea({ issuer: null, title }) ?? documentArea({ issuer: null, title: d.text.trim() }))?.scope;
    if (scope === 'guangxi' || scope === 'national') {
      place(`ncp-${d.docid}`, region, 'yqfk');
      placedNotices.add(d.docid);
    } else reference.push(`ncp-${d.docid}`);
  }
  // The portal's 政策问答 answers from the notices it shows: an answer resting on another place's notice would tell a
  // Guangxi reader another province's rule.
  const qa: QaEntry[] = [];
  for (const q of src.qa) {
    if (!placedNotices.has(q.docid)) continue;
    const parsed = QaEntrySchema.safeParse({
      id: `qa-${q.id}`,
      siteId: region.id,
      question: q.question,
      answer: q.answer,
      sourceDocumentId: `ncp-${q.docid}`,
      status: 'approved',
    }); // published Q&A, imported as approved
    if (!parsed.success) errors.push(...formatIssues(`问答 ${q.id}`, parsed.error));
    else qa.push(parsed.data);
  }

  // Reposts of national documents onto every other site's policy column, chosen by what the unit works on.
  for (const site of sites) {
    if (site.id === region.id) continue;
    const r = rng(site.id + ':repost');
    const policyColumn = columns.find((c) => c.siteId === site.id && c.kind === 'policy' && c.parentId === null);
    if (!policyColumn) continue;
    let pool = national;
    let count = 4;
    if (site.kind === 'city-portal') count = 12;
    else if (site.kind === 'county-portal') count = 6;
    else if (site.kind === 'people-congress') {
      pool = regulations;
      count = 8;
    } else if (site.kind === 'department') {
      const label = site.domains[0]!.split('.')[0]!;
      const words = DEPARTMENT_TOPICS[label] ?? ZONE_TOPICS;
      const matched = [...national, ...regulations].filter((p) => words.some((w) => p.title.includes(w)));
      pool = matched.length >= 3 ? matched : [...matched, ...national];
      count = Math.min(8, Math.max(3, matched.length));
    }
    const start = Math.floor(r() * pool.length);
    // Step through the pool with a stride coprime to its length, so every document is reachable.
    const stride = pool.length % 7 === 0 ? 1 : 7;
    const chosen = new Set<string>();
    for (let i = 0; i < pool.length && chosen.size < count; i++) chosen.add(pool[(start + i * stride) % pool.length]!.id);
    for (const id of chosen) place(id, site, policyColumn.slug);
  }

  // 示例 items for each unit's own leaf columns.
  const placedIn = new Map<string, number>();
  for (const p of placements) placedIn.set(p.columnId, (placedIn.get(p.columnId) ?? 0) + 1);
  for (const site of sites) {
    const unit = unitName(site);
    const r = rng(site.id);
    let n = 0;
    const demo = (
      column: Column,
      text: { title: string; bodyHtml: string; summary: string; keywords: string[]; interests?: DocumentInput['interests']; guide?: DocumentInput['guide'] },
      ageMinutes: number,
      kind: Document['kind'],
    ) => {
      const id = `demo-${site.id}-${++n}`;
      addDoc({
        id,
        kind,
        interests: [],
        guide: null,
        ...text,
        author: '',
        source: unit,
        sourceUrl: null,
        publishedAt: new Date(Math.floor((opts.now.getTime() - ageMinutes * MINUTE) / MINUTE) * MINUTE).toISOString().replace('.000Z', 'Z'),
        attachments: [],
        ownerSiteId: site.id,
        isDemo: true,
        ...NO_DISCLOSURE_METADATA,
        issuer: kind === 'policy' ? unit : null,
      });
      place(id, site, column.slug);
      return id;
    };
    for (const column of columns.filter((c) => c.siteId === site.id && isLeaf.has(c.id))) {
      const have = placedIn.get(column.id) ?? 0;
      // A portal's 办事服务 column holds 办事指南: real ones where they exist, 示例 ones for its scenes.
      if (column.kind === 'service' && isPortalKind(site.kind)) {
        for (const real of src.guides.filter((g) => g.areaCode === site.divisionCode)) {
          addDoc({ ...real.doc, ownerSiteId: site.id });
          place(real.doc.id, site, column.slug);
        }
        const scenes = scenesFor(site.id, site.kind as 'province-portal' | 'city-portal' | 'county-portal');
        for (const [i, scene] of scenes.entries()) demo(column, demoGuide(unit, scene), Math.floor(((i + r()) / scenes.length) * 90 * 24 * 60), 'guide');
        continue;
      }
      const demoKind: DemoKind | null =
        ({ news: 'news', 'work-news': 'news', notice: 'notice', service: 'service', interaction: 'interaction', topic: 'topic' } as Record<string, DemoKind>)[
          column.kind
        ] ?? null;
      if (demoKind) {
        const count = demoKind === 'news' ? opts.newsPerColumn : demoKind === 'notice' ? 4 : 3;
        // News within the 2-week rule, notices within 2 months: fresh enough to pass the update-cadence check.
        const span = demoKind === 'news' ? 12 * 24 * 60 : 60 * 24 * 60;
        for (let i = 0; i < count; i++)
          demo(column, demoItem(demoKind, unit, r), Math.floor(((i + r()) / count) * span), demoKind === 'notice' ? 'notice' : 'article');
      } else if (column.kind === 'disclosure-guide') demo(column, disclosureGuide(unit), 90 * 24 * 60, 'article');
      else if (column.kind === 'disclosure-report')
        demo(column, disclosureReport(unit, new Date(opts.now.getTime() - 60 * 86_400_000).getUTCFullYear() - 1), 60 * 24 * 60, 'article');
      else if (column.kind === 'interpretation') {
        const policies = placements
          .filter((p) => p.siteId === site.id && documents.get(p.documentId)?.kind === 'policy')
          .map((p) => documents.get(p.documentId)!);
        const targets = policies.filter((p) => !p.isDemo).slice(0, 3);
        for (const [i, p] of targets.entries()) {
          const id = demo(
            column,
            demoInterpretation(unit, { title: p.title, docNumber: p.docNumber, bodyText: bodyText.get(p.id) ?? '' }),
            (20 + i * 9) * 24 * 60,
            'interpretation',
          );
          links.push({ policyId: p.id, interpretationId: id });
        }
        if (targets.length === 0 && have === 0) errors.push(`栏目 ${column.id}: 没有可解读的政策文件，栏目将为空`);
      } else if (column.kind === 'policy' && have === 0) {
        errors.push(`栏目 ${column.id}: 没有可转载的政策文件，栏目将为空`);
      }
    }
  }

  for (const c of columns) {
    const p = ColumnSchema.safeParse(c);
    if (!p.success) errors.push(...formatIssues(`栏目 ${c.id}`, p.error));
  }
  for (const p of placements) {
    const v = PlacementSchema.safeParse(p);
    if (!v.success) errors.push(...formatIssues(`栏目文档 ${p.columnId}/${p.documentId}`, v.error));
  }
  for (const l of links) {
    const v = InterpretationLinkSchema.safeParse(l);
    if (!v.success) errors.push(...formatIssues(`解读关联 ${l.interpretationId}`, v.error));
    if (!documents.has(l.policyId) || !documents.has(l.interpretationId))
      errors.push(`解读关联 ${l.interpretationId}: 字段 policyId: 文档 ${l.policyId} 不存在`);
  }
  for (const q of qa) if (!documents.has(q.sourceDocumentId)) errors.push(`问答 ${q.id}: 字段 sourceDocumentId: 文档 ${q.sourceDocumentId} 不存在`);
  // An empty column fails national inspection: every leaf must hold something, parents show their children's.
  const filled = new Set(placements.map((p) => p.columnId));
  for (const q of qa) filled.add(`${q.siteId}/zcwd`);
  for (const c of columns) if (isLeaf.has(c.id) && !filled.has(c.id)) errors.push(`栏目 ${c.id}: 字段 placements: 栏目没有内容`);
  if (errors.length) throw new SeedError(errors.slice(0, 50).join('\n') + (errors.length > 50 ? `\n……另有 ${errors.length - 50} 处问题` : ''));
  const shownOn = new Set(placements.map((p) => p.documentId));
  for (const id of reference) if (shownOn.has(id)) errors.push(`文档 ${id}: 外省参考文件不得放入广西单位的栏目`);
  return { columns, documents: [...documents.values()], placements, links, qa, synonyms: src.synonyms, reference };
}
