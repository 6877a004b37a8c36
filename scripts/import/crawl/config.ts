/**
 * A crawled website, configured as data (scripts/import/sources/<id>.json): where to start, what counts as an
 * article, which old column becomes which new one, and where on the page the fields are. Defaults cover the page
 * structures of the common government CMS products (TRS WCM's TRS_Editor, 政务公开 tables, the national meta tags),
 * so most sites need only their start URL, article pattern and columns.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { compile } from 'css-select';
import { ColumnKindSchema, ColumnSlugSchema, DocumentKindSchema, ImportSourceIdSchema, SiteIdSchema } from '@ywtc/cms-schema';

export const DEFAULT_USER_AGENT = 'ywtc-import/1 (+https://admin.gxzf.gov.cn/import)';

/** Where each field usually sits, in order of preference: the first selector that matches a non-empty element wins. */
export const DEFAULT_SELECTORS = {
  title: ['.article-title', '.detail-title', '.content-title', '.news-title', 'h1.title', '.article h1', '.detail h1', '.content h1', 'h1'],
  body: ['.TRS_Editor', '#zoom', '.zoom', '.article-content', '.pages_content', '#UCAP-CONTENT', '.detail-content', '.news-content'],
  publishedAt: ['.pubtime', '.pub-time', '.publish-time', '.article-info', '.detail-info', '.info', '.time', '.date'],
  source: ['.source', '.article-source', '.ly'],
  govInfoTable: ['table.xxgk', '.xxgk table', '.xxgk', 'table.bd1', '.govinfo', '.xxgk-info', 'table'],
  attachments: ['.attachments a', '.attachment a', '.fj a', '.appendix a'],
} as const;

const selectorList = (field: string) =>
  z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .refine(
          (s) => {
            try {
              compile(s);
              return true;
            } catch {
              return false;
            }
          },
          { message: `selectors.${field} 中有无效的 CSS 选择器` },
        ),
    )
    .min(1, `selectors.${field} 至少要有一个选择器`);

const httpUrl = z.url({ protocol: /^https?$/, message: '须为 http(s) 网址' });

const regexSource = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'articleUrl 不是有效的正则表达式' },
);

export const CrawlColumnSchema = z.object({
  /** A path prefix (`/xwdt/`, on any allowed host) or an absolute URL prefix. */
  urlPrefix: z.string().regex(/^(\/|https?:\/\/)/, 'urlPrefix 须以 / 或 http(s):// 开头'),
  /** The column's slug on the new site. */
  column: ColumnSlugSchema,
  /** The kind of document its pages become (a page with a 发文字号 table is a 政策文件 whatever this says). */
  kind: DocumentKindSchema.optional(),
  /** The kind of the column created on the new site; derived from `kind` when absent. */
  columnKind: ColumnKindSchema.optional(),
  name: z.string().trim().min(2, '栏目名称至少 2 个字').max(30).optional(),
});
export type CrawlColumn = z.infer<typeof CrawlColumnSchema>;

export const PolitenessSchema = z.object({
  concurrency: z.int().min(1, 'concurrency 至少为 1').max(8, 'concurrency 不能超过 8').default(2),
  /** Between two requests to the same host (start to start); robots.txt's Crawl-delay can only raise it. */
  delayMs: z.int().min(0).max(60_000).default(500),
  timeoutMs: z.int().min(1000, 'timeoutMs 至少 1000').max(120_000).default(15_000),
  maxPages: z.int().min(1).max(1_000_000).default(20_000),
  maxBytes: z.int().min(10_000, 'maxBytes 至少 10000').max(100_000_000).default(5_000_000),
  userAgent: z.string().trim().min(3).max(200).default(DEFAULT_USER_AGENT),
  obeyRobots: z.boolean().default(true),
});
export type Politeness = z.infer<typeof PolitenessSchema>;

export const CrawlSourceSchema = z
  .object({
    type: z.literal('crawl', { message: 'type 须为 "crawl"' }),
    id: ImportSourceIdSchema,
    name: z.string().trim().min(2, '名称至少 2 个字').max(80),
    siteId: SiteIdSchema,
    /** Imported into a hidden version, published only at the site's switch-over (party / 人大 / 政协 migrations). */
    hidden: z.boolean().default(false),
    startUrls: z.array(httpUrl).min(1, 'startUrls 至少要有一个网址'),
    sitemap: httpUrl.optional(),
    /** Hosts the crawler may fetch from (the start URLs' hosts when absent). */
    allowHosts: z.array(z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, 'allowHosts 中的域名格式不正确')).optional(),
    politeness: PolitenessSchema.default(PolitenessSchema.parse({})),
    /** A regular expression (source text) matched against a page's whole URL: which pages are articles. */
    articleUrl: regexSource,
    columns: z.array(CrawlColumnSchema).min(1, 'columns 至少要有一个栏目'),
    selectors: z
      .object({
        title: selectorList('title').default([...DEFAULT_SELECTORS.title]),
        body: selectorList('body').default([...DEFAULT_SELECTORS.body]),
        publishedAt: selectorList('publishedAt').default([...DEFAULT_SELECTORS.publishedAt]),
        source: selectorList('source').default([...DEFAULT_SELECTORS.source]),
        govInfoTable: selectorList('govInfoTable').default([...DEFAULT_SELECTORS.govInfoTable]),
        attachments: selectorList('attachments').default([...DEFAULT_SELECTORS.attachments]),
      })
      .default({
        title: [...DEFAULT_SELECTORS.title],
        body: [...DEFAULT_SELECTORS.body],
        publishedAt: [...DEFAULT_SELECTORS.publishedAt],
        source: [...DEFAULT_SELECTORS.source],
        govInfoTable: [...DEFAULT_SELECTORS.govInfoTable],
        attachments: [...DEFAULT_SELECTORS.attachments],
      }),
  })
  .transform((c) => ({ ...c, allowHosts: c.allowHosts ?? [...new Set(c.startUrls.map((u) => new URL(u).host))] }));
export type CrawlSource = z.output<typeof CrawlSourceSchema>;
export type CrawlSourceInput = z.input<typeof CrawlSourceSchema>;

export class CrawlConfigError extends Error {}

/** Parses a source, or throws one message listing every fault with its field (`politeness.concurrency: …`). */
export function parseCrawlSource(input: unknown, where = '采集配置'): CrawlSource {
  // Zod's Chinese messages for what the schema does not word itself (a missing field, a wrong type).
  const r = CrawlSourceSchema.safeParse(input, { error: z.locales.zhCN().localeError });
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '（根）'}：${i.message}`);
  throw new CrawlConfigError(`${where}有误：\n${lines.join('\n')}`);
}

/** Reads scripts/import/sources/<id>.json (or any path). */
export function loadCrawlSource(file: string): CrawlSource {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CrawlConfigError(`无法读取采集配置 ${file}：${e instanceof Error ? e.message : String(e)}`);
  }
  return parseCrawlSource(json, `采集配置 ${file} `);
}
