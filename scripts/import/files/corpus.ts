/**
 * A deterministic export of N records (a seeded generator, never a committed file) for the import benchmark and
 * the streaming tests: what a TRS-style CMS of 南宁市 and its departments and counties would hand over — titles,
 * issuers, 发文字号 patterns and paragraphs drawn from the repo's real policy documents (scripts/seed/data/
 * policies*.jsonl) and recombined, with units, dates and numbers varied so no two records are copies. Every
 * title starts with 示例 (generated items are marked). A few bad records are planted at known indexes and
 * returned as ground truth, with what the reader and the store should make of each.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonl } from '../../lib/jsonl.ts';
import { rng } from '../../lib/rng.ts';

const ROOT = join(import.meta.dirname, '../../..');

/** The site every corpus record goes to (one source writes to its own site) and its columns by channel name. */
export const CORPUS_SITE = 'nanning';
export const CORPUS_CHANNELS = [
  { name: '要闻动态', column: 'yw', type: '4' },
  { name: '通知公告', column: 'tzgg', type: '2' },
  { name: '政策文件', column: 'zcwj', type: '1' },
  { name: '政策解读', column: 'zcjd', type: '3' },
] as const;
/** DOCTYPE codes of the export → import kinds. */
export const CORPUS_KINDS: Record<string, string> = { '1': 'policy', '2': 'notice', '3': 'interpretation', '4': 'article' };

/** Units of 南宁市 that issue documents: name, 机关代字, 组织机构代码 (as in the 索引号). */
const UNITS: [string, string, string][] = [
  ['南宁市人民政府', '南府', '007564343'],
  ['南宁市人民政府办公室', '南府办', '007564351'],
  ['南宁市发展和改革委员会', '南发改', '007564378'],
  ['南宁市教育局', '南教', '007564386'],
  ['南宁市财政局', '南财', '007564394'],
  ['南宁市人力资源和社会保障局', '南人社', '007564407'],
  ['南宁市住房和城乡建设局', '南住建', '007564415'],
  ['南宁市农业农村局', '南农', '007564423'],
  ['南宁市卫生健康委员会', '南卫健', '007564431'],
  ['南宁市市场监督管理局', '南市监', '007564458'],
  ['南宁市生态环境局', '南环', '007564466'],
  ['南宁市交通运输局', '南交', '007564474'],
  ['兴宁区人民政府', '兴政', '007565012'],
  ['青秀区人民政府', '青政', '007565020'],
  ['西乡塘区人民政府', '西政', '007565039'],
  ['武鸣区人民政府', '武政', '007565047'],
  ['宾阳县人民政府', '宾政', '007565055'],
  ['横州市人民政府', '横政', '007565063'],
];

export type CorpusProblem = 'missing-date' | 'chinese-date' | 'duplicate-id' | 'missing-id' | 'hostile-markup' | 'illegal-link';

export interface PlantedRecord {
  index: number;
  problem: CorpusProblem;
  sourceId: string | null;
  /** What the file reader yields for it. */
  reader: 'document' | 'failed';
  /** What the store should do with the document (validation, sanitizing, pre-publish checks). */
  store: string;
  /** chinese-date: the instant it must be read as. */
  publishedAt?: string;
  /** duplicate-id: the index of the record whose id it repeats. */
  duplicateOf?: number;
  /** illegal-link: the domain linked to. */
  domain?: string;
}

export interface CorpusTruth {
  count: number;
  seed: number;
  planted: PlantedRecord[];
  /** Records the reader yields as documents (all but the planted failures). */
  documents: number;
}

interface Policy {
  title: string;
  issuer: string;
  doc_number: string | null;
  topic: string | null;
  body: string;
}

interface Material {
  titles: { rest: string; tail: string }[];
  paragraphs: string[];
  suffixes: string[];
  topics: string[];
  payloads: string[];
  domains: string[];
}

let material: Material | null = null;
function load(): Material {
  if (material) return material;
  const policies = [
    ...readJsonl<Policy>(join(ROOT, 'scripts/seed/data/policies.jsonl')),
    ...readJsonl<Policy>(join(ROOT, 'scripts/seed/data/policies-gx.jsonl')),
  ];
  // “国务院关于……的意见” → the part after the issuer, so another unit can issue it.
  const titles = policies.flatMap((p) => {
    const m = /关于(.{4,80})的(通知|意见|决定|办法|规定|批复|通告|公告|实施方案|工作方案)$/.exec(p.title);
    return m ? [{ rest: m[1]!, tail: m[2]! }] : [];
  });
  const paragraphs = policies.flatMap((p) =>
    p.body
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length >= 30 && l.length <= 400 && !/〔\d{4}〕/.test(l)),
  );
  // 发文字号 kinds as the real numbers end (…发, …函, …规, …电): the last character of the 机关代字.
  const suffixes = policies.flatMap((p) => {
    const code = p.doc_number?.split('〔')[0];
    const last = code?.at(-1);
    return last && /[发函规电]/.test(last) ? [last] : [];
  });
  const topics = [...new Set(policies.flatMap((p) => (p.topic ? p.topic.split(/[、\\]/) : [])))].filter((t) => t.length >= 2 && t.length <= 8);
  const payloads = readFileSync(join(ROOT, 'tests/data/xss-payloads.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
  const domains = readFileSync(join(ROOT, 'scripts/seed/data/checks/illegal-domains.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  material = { titles, paragraphs, suffixes, topics, payloads, domains };
  return material;
}

/** One record as the export writes it (every value a string, as CSV and XML carry them). */
export type CorpusRecord = Record<(typeof CORPUS_FIELDS)[number], string>;
export const CORPUS_FIELDS = [
  'DOCID',
  'CHNLNAME',
  'DOCTYPE',
  'DOCTITLE',
  'FWJG',
  'WH',
  'SYH',
  'CWRQ',
  'DOCPUBTIME',
  'DOCCONTENT',
  'KEYWORDS',
  'DOCAUTHOR',
  'DOCSOURCE',
  'DOCPUBURL',
] as const;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const sourceIdAt = (i: number) => `nn-${pad(i, 7)}`;

/** Where the bad records go: spread over the file, at indexes fixed by the count alone. */
export function plantedIndexes(count: number): Record<CorpusProblem, number> {
  if (count < 20) throw new Error('示例语料至少 20 条（其中埋有 6 条问题记录）');
  const at = (f: number) => Math.floor(count * f);
  return {
    'missing-date': at(0.11),
    'chinese-date': at(0.23),
    'duplicate-id': at(0.37),
    'hostile-markup': at(0.51),
    'illegal-link': at(0.67),
    'missing-id': at(0.83),
  };
}
const DUPLICATE_DISTANCE = 5;

export function corpusTruth(count: number, seed = 1): CorpusTruth {
  const p = plantedIndexes(count);
  const { domains } = load();
  const planted: PlantedRecord[] = [
    { index: p['missing-date'], problem: 'missing-date', sourceId: sourceIdAt(p['missing-date']), reader: 'document', store: 'failed: publishedAt' },
    {
      index: p['chinese-date'],
      problem: 'chinese-date',
      sourceId: sourceIdAt(p['chinese-date']),
      reader: 'document',
      store: 'imported',
      publishedAt: '2021-03-04T16:00:00.000Z',
    },
    {
      index: p['duplicate-id'],
      problem: 'duplicate-id',
      sourceId: sourceIdAt(p['duplicate-id'] - DUPLICATE_DISTANCE),
      reader: 'failed',
      store: 'not sent',
      duplicateOf: p['duplicate-id'] - DUPLICATE_DISTANCE,
    },
    { index: p['hostile-markup'], problem: 'hostile-markup', sourceId: sourceIdAt(p['hostile-markup']), reader: 'document', store: 'imported, sanitized' },
    {
      index: p['illegal-link'],
      problem: 'illegal-link',
      sourceId: sourceIdAt(p['illegal-link']),
      reader: 'document',
      store: 'imported with a warning, link removed',
      domain: domains[seed % domains.length]!,
    },
    { index: p['missing-id'], problem: 'missing-id', sourceId: null, reader: 'failed', store: 'not sent' },
  ];
  return { count, seed, planted: planted.sort((a, b) => a.index - b.index), documents: count - planted.filter((x) => x.reader === 'failed').length };
}

/** The corpus, record by record (nothing kept: 100,000 records are generated as they are written). */
export function* corpusRecords(count: number, seed = 1): Generator<CorpusRecord> {
  const m = load();
  const planted = plantedIndexes(count);
  const truth = corpusTruth(count, seed);
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const serials = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const channel = pick(CORPUS_CHANNELS);
    const [unit, code, org] = pick(UNITS);
    const year = int(2015, 2025);
    const [month, day, hour, minute] = [int(1, 12), int(1, 28), int(8, 18), int(0, 59)];
    const key = `${code}/${year}`;
    const serial = (serials.get(key) ?? 0) + 1;
    serials.set(key, serial);
    const t = pick(m.titles);
    const topic = pick(m.topics);
    const title =
      channel.type === '4'
        ? `示例：${unit.replace(/人民政府$/, '')}${pick(['召开', '部署', '推进', '开展'])}${topic}${pick(['工作会议', '专项行动', '调研活动', '工作推进会'])}（第${serial}期）`
        : channel.type === '3'
          ? `示例：《${unit}关于${t.rest}的${t.tail}》政策解读`
          : `示例：${unit}关于${t.rest.replace(/20\d\d/g, String(year))}的${t.tail}`;
    const paragraphs = Array.from({ length: int(2, 6) }, () =>
      pick(m.paragraphs)
        .replace(/20\d\d年/g, `${year}年`)
        .replace(/(\d+)(个|项|家|人|万元|亿元|%)/g, (_, n: string, u: string) => `${Math.max(1, Math.round(Number(n) * (0.5 + random())))}${u}`),
    );
    const isDoc = channel.type === '1' || channel.type === '2';
    let body = (channel.type === '1' ? [`${unit.replace(/人民政府.*$/, '')}各有关单位：`, ...paragraphs] : paragraphs)
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('');
    let published = formatDate(i, year, month, day, hour, minute);
    let id: string = sourceIdAt(i);
    if (i === planted['missing-date']) published = '';
    if (i === planted['chinese-date']) published = '二〇二一年三月五日';
    if (i === planted['duplicate-id']) id = sourceIdAt(i - DUPLICATE_DISTANCE);
    if (i === planted['missing-id']) id = '';
    if (i === planted['hostile-markup']) body += m.payloads.join('\n');
    if (i === planted['illegal-link']) {
      const domain = truth.planted.find((x) => x.problem === 'illegal-link')!.domain!;
      body += `<p>详见<a href="http://${domain}/">相关网站</a>。</p>`;
    }
    const written = new Date(Date.UTC(year, month - 1, day) - int(1, 10) * 86_400_000);
    yield {
      DOCID: id,
      CHNLNAME: channel.name,
      DOCTYPE: channel.type,
      DOCTITLE: title.slice(0, 200),
      FWJG: unit,
      WH: isDoc ? `${code}${pick(m.suffixes)}〔${year}〕${serial}号` : '',
      SYH: isDoc ? `${org}/${year}-${pad(serial, 5)}` : '',
      // The Chinese-date record's 成文日期 must not fall after the date it is planted with (2021-03-05).
      CWRQ: isDoc && i !== planted['chinese-date'] ? written.toISOString().slice(0, 10) : '',
      DOCPUBTIME: published,
      DOCCONTENT: body,
      KEYWORDS: [topic, pick(m.topics)].join('、'),
      DOCAUTHOR:
        channel.type === '4'
          ? `${pick(['记者', '通讯员'])} ${pick(['李', '王', '张', '刘', '陈', '黄', '覃', '韦'])}${pick(['明', '华', '敏', '静', '强', '丽', '军'])}`
          : '',
      DOCSOURCE: unit,
      DOCPUBURL: `http://www.nanning.gov.cn/${channel.column}/${year}${pad(month)}/t${pad(i, 7)}.html`,
    };
  }
}

/** Exports write their times in more than one way; the store reads them all (import-dates.ts). */
function formatDate(i: number, y: number, mo: number, d: number, h: number, mi: number): string {
  switch (i % 20) {
    case 0:
      return `${y}年${mo}月${d}日`;
    case 1:
    case 2:
      return `${y}/${mo}/${d} ${h}:${pad(mi)}`;
    case 3:
      return String(Date.UTC(y, mo - 1, d, h - 8, mi) / 1000);
    default:
      return `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:00`;
  }
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
