/**
 * The Meilisearch backend behind the common interface, through the official client. Writes wait for their
 * task, so a caller that indexes and then searches sees its documents; the first write of an isolate creates
 * the index and applies the settings (settings.ts). Searching mirrors the D1 index: an exact 发文字号 first,
 * then a keyword query that needs every word (falling back to dropping the commonest), or a question that
 * drops words from the start.
 */
import { escapeHtml } from '@ywtc/cms-schema';
import { Meilisearch, MeilisearchApiError, type EnqueuedTask, type Index, type SearchParams as MeiliSearchParams } from 'meilisearch';
import { z } from 'zod';
import { normalizeDocNumber } from '../doc-number.ts';
import { cleanQuery } from '../query.ts';
import { snippetHtml } from '../snippet.ts';
import { AreaSchema } from '../area.ts';
import { runTokens, runs } from '../tokenize.ts';
import type { SearchBackend, SearchDocument, SearchHit, SearchParams, SearchResult } from '../schema.ts';
import { PRIMARY_KEY, encodeKey, toMeiliDocument, type MeiliDocument } from './documents.ts';
import {
  docNumberIsNot,
  docNumberRequest,
  filterConditions,
  queryPlan,
  synonymRules,
  textSearchRequest,
  type Marks,
  type QueryPlan,
  type SynonymRule,
} from './query.ts';
import { COUNT_CAP, INDEX_SETTINGS, synonymsObject } from './settings.ts';

export interface MeilisearchOptions {
  host: string;
  apiKey?: string;
  /** Index uid ([A-Za-z0-9_-]); default `ywtc-documents`. */
  indexUid?: string;
  /** How long a write waits for Meilisearch to process its task; default 30 s. */
  taskTimeoutMs?: number;
}

export const DEFAULT_INDEX_UID = 'ywtc-documents';
const INDEX_UID_RE = /^[A-Za-z0-9_-]{1,400}$/;
/** Per HTTP request. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Polling every 250 ms bounds a 30 s wait to 120 requests: a Worker may make only so many subrequests. */
const TASK_POLL_MS = 250;
/** A document batch stays under Meilisearch's default 100 MB payload even when every character is 3 bytes. */
const MAX_BATCH_CHARS = 10_000_000;
const SYNONYM_TTL_MS = 60_000;

// Per isolate, like the D1 backend's caches: a Worker builds a backend per request.
const preparedIndexes = new Set<string>();
const synonymCache = new Map<string, { rules: SynonymRule[]; until: number }>();

/** The fields of a hit this backend reads; anything else the server sends is ignored. */
const HitSchema = z.object({
  id: z.string(),
  title: z.string(),
  docNumber: z.string().nullable(),
  kind: z.string(),
  issuer: z.string().nullable(),
  validity: z.string().nullable(),
  publishedAt: z.string(),
  summary: z.string(),
  placements: z.array(z.object({ siteId: z.string(), path: z.string() })),
  area: AreaSchema.nullable().optional(),
  _formatted: z.record(z.string(), z.unknown()).optional(),
});
const ResponseSchema = z.object({ hits: z.array(HitSchema), totalHits: z.number().int().nonnegative() });
type Found = z.infer<typeof ResponseSchema>;
type RawHit = z.infer<typeof HitSchema>;

const isIndexNotFound = (e: unknown) => e instanceof MeilisearchApiError && e.cause?.code === 'index_not_found';

/** Highlight tags no text can contain (a random nonce, letters and digits only, so escaping leaves them). */
export function newMarks(): Marks {
  const nonce = crypto.randomUUID().replace(/-/g, '');
  return { pre: `ywtcmark${nonce}s`, post: `ywtcmark${nonce}e` };
}

/** Escapes the whole text, then turns the placeholder tags into <mark>: only the highlight survives as HTML. */
export function markup(text: string, marks: Marks): string {
  return escapeHtml(text).split(marks.pre).join('<mark>').split(marks.post).join('</mark>');
}

/**
 * The body cropped around the query's words and highlighted by Meilisearch; else, since its highlighter only
 * marks whole jieba words (处理 is not marked inside 待处理), the summary marked by the shared snippet code
 * (snippet.ts) with the query's own terms; else the escaped summary.
 */
export function snippetOf(hit: RawHit, marks: Marks, terms: readonly string[]): string {
  const body = hit._formatted?.body;
  if (typeof body === 'string' && body.includes(marks.pre)) return markup(body, marks);
  return snippetHtml(hit.summary, terms) ?? escapeHtml(hit.summary);
}

export function toHit(h: RawHit, match: SearchHit['match'], snippet: string): SearchHit {
  return {
    id: h.id,
    title: h.title,
    docNumber: h.docNumber,
    kind: h.kind,
    issuer: h.issuer,
    validity: h.validity,
    publishedAt: h.publishedAt,
    summary: h.summary,
    placements: h.placements.map((p) => ({ siteId: p.siteId, path: p.path })),
    area: h.area ?? null,
    match,
    snippet,
    related: [],
  };
}

/**
 * The text hits a page shows after the exact 发文字号 hits, which come first (`exactCount` of them): positions
 * [from, from + count) of the text results, and the pages of `size` hits (page/hitsPerPage, for exact totals)
 * that cover them — two when the exact hits shift the window off a page boundary.
 */
export function textWindow(page: number, size: number, exactCount: number): { from: number; count: number; pages: number[] } {
  const offset = (page - 1) * size;
  const shownExact = Math.max(0, Math.min(size, exactCount - offset));
  const count = size - shownExact;
  const from = Math.max(0, offset - exactCount);
  const first = Math.floor(from / size) + 1;
  const last = count > 0 ? Math.floor((from + count - 1) / size) + 1 : first;
  return { from, count, pages: first === last ? [first] : [first, last] };
}

function chunks(docs: readonly MeiliDocument[]): MeiliDocument[][] {
  const out: MeiliDocument[][] = [];
  let batch: MeiliDocument[] = [];
  let chars = 0;
  for (const d of docs) {
    const n = JSON.stringify(d).length;
    if (batch.length && chars + n > MAX_BATCH_CHARS) {
      out.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(d);
    chars += n;
  }
  if (batch.length) out.push(batch);
  return out;
}

export class MeilisearchBackend implements SearchBackend {
  readonly name = 'meilisearch' as const;
  private readonly client: Meilisearch;
  private readonly idx: Index<MeiliDocument>;
  private readonly cacheKey: string;
  private readonly taskTimeoutMs: number;

  constructor(options: MeilisearchOptions) {
    const uid = options.indexUid ?? DEFAULT_INDEX_UID;
    if (!INDEX_UID_RE.test(uid)) throw new Error(`Meilisearch 索引名只能包含字母、数字、- 和 _：${uid}`);
    if (!options.host) throw new Error('未配置 Meilisearch 地址（MEILISEARCH_HOST）');
    this.client = new Meilisearch({ host: options.host, apiKey: options.apiKey, timeout: REQUEST_TIMEOUT_MS });
    this.idx = this.client.index<MeiliDocument>(uid);
    this.cacheKey = `${options.host}\n${uid}`;
    this.taskTimeoutMs = options.taskTimeoutMs ?? 30_000;
  }

  /** Waits for a task; a failed or cancelled task is an error, except for the codes the caller accepts. */
  private async settle(task: Promise<EnqueuedTask>, what: string, accept: readonly string[] = []): Promise<void> {
    const done = await this.idx.tasks.waitForTask(await task, { timeout: this.taskTimeoutMs, interval: TASK_POLL_MS });
    if (done.status === 'succeeded') return;
    if (done.error && accept.includes(done.error.code)) return;
    throw new Error(`Meilisearch ${what}失败（任务 ${done.uid}，${done.status}）：${done.error?.message ?? '无错误信息'}`);
  }

  /** Creates the index with its primary key and applies the settings, once per isolate. */
  private async prepare(): Promise<void> {
    if (preparedIndexes.has(this.cacheKey)) return;
    await this.settle(this.client.createIndex(this.idx.uid, { primaryKey: PRIMARY_KEY }), '创建索引', ['index_already_exists']);
    await this.settle(this.idx.updateSettings(INDEX_SETTINGS), '更新索引设置');
    preparedIndexes.add(this.cacheKey);
  }

  async index(docs: readonly SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    const batches = chunks(docs.map(toMeiliDocument));
    await this.prepare();
    // Enqueued back to back (Meilisearch batches consecutive additions), then awaited in order.
    const enqueued: EnqueuedTask[] = [];
    for (const b of batches) enqueued.push(await this.idx.addDocuments(b, { primaryKey: PRIMARY_KEY }));
    for (const t of enqueued) await this.settle(Promise.resolve(t), '写入文档');
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      // No index yet means nothing to remove; unknown ids are ignored by Meilisearch itself.
      await this.settle(this.idx.deleteDocuments(ids.map(encodeKey)), '删除文档', ['index_not_found']);
    } catch (e) {
      if (!isIndexNotFound(e)) throw e;
    }
  }

  async setSynonyms(groups: readonly (readonly string[])[]): Promise<void> {
    await this.prepare();
    await this.settle(this.idx.updateSynonyms(synonymsObject(groups)), '更新同义词');
    synonymCache.delete(this.cacheKey);
  }

  /** The synonym rules from the index, kept for a minute per isolate (admins' edits show within that). */
  private async rules(now = Date.now()): Promise<SynonymRule[]> {
    const cached = synonymCache.get(this.cacheKey);
    if (cached && cached.until > now) return cached.rules;
    let raw: unknown;
    try {
      raw = await this.idx.getSynonyms();
    } catch (e) {
      if (!isIndexNotFound(e)) throw e;
      raw = {};
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('Meilisearch 返回的同义词不是对象');
    const rules = synonymRules(raw as Record<string, unknown>);
    synonymCache.set(this.cacheKey, { rules, until: now + SYNONYM_TTL_MS });
    return rules;
  }

  private async run(request: MeiliSearchParams): Promise<Found> {
    let raw: unknown;
    try {
      const { q, ...rest } = request;
      raw = await this.idx.search(q, rest);
    } catch (e) {
      // Nothing has been indexed yet: an empty result, not an error page.
      if (isIndexNotFound(e)) return { hits: [], totalHits: 0 };
      throw e;
    }
    const parsed = ResponseSchema.safeParse(raw);
    if (!parsed.success)
      throw new Error(`Meilisearch 返回的搜索结果格式不对：${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }

  async search(params: SearchParams): Promise<SearchResult> {
    const cleaned = cleanQuery(params.q);
    const text = cleaned.ok ? cleaned.text : '';
    const conditions = filterConditions(params);
    const number = normalizeDocNumber(params.q);
    const keywordPlan = queryPlan(text, []);
    const [exactResponse, rules] = await Promise.all([
      number ? this.run(docNumberRequest(number, conditions)) : null,
      keywordPlan.keyword && keywordPlan.q ? this.rules() : [],
    ]);
    const terms = [...new Set(runs(text).flatMap(runTokens))];
    const exact = (exactResponse?.hits ?? []).map((h) => toHit(h, 'doc-number', snippetHtml(h.summary, terms) ?? escapeHtml(h.summary)));
    const plan = rules.length ? queryPlan(text, rules) : keywordPlan;
    const base = { query: text, page: params.page, size: params.size };
    const offset = (params.page - 1) * params.size;
    const exactShown = exact.slice(offset, offset + params.size);
    if (!plan.q) return { ...base, total: exact.length, totalIsLowerBound: false, hits: exactShown };

    const textConditions = number && exact.length ? [...conditions, docNumberIsNot(number)] : conditions;
    const { total, hits } = await this.textHits(plan, textConditions, params, exact.length, terms);
    return { ...base, total: Math.min(total, COUNT_CAP) + exact.length, totalIsLowerBound: total > COUNT_CAP, hits: [...exactShown, ...hits] };
  }

  /** The text results of one page after `exactCount` exact hits; a keyword query that finds nothing drops words. */
  private async textHits(
    plan: QueryPlan,
    conditions: readonly string[],
    params: SearchParams,
    exactCount: number,
    terms: readonly string[],
  ): Promise<{ total: number; hits: SearchHit[] }> {
    const window = textWindow(params.page, params.size, exactCount);
    const strategies = plan.keyword && plan.q.includes(' ') ? (['all', 'frequency'] as const) : plan.keyword ? (['all'] as const) : (['frequency'] as const);
    let total = 0;
    let hits: SearchHit[] = [];
    for (const strategy of strategies) {
      const marks = newMarks();
      const responses = await Promise.all(
        window.pages.map((page) => this.run(textSearchRequest({ plan, strategy, conditions, sort: params.sort, page, hitsPerPage: params.size, marks }))),
      );
      total = responses[0]!.totalHits;
      const start = window.from - (window.pages[0]! - 1) * params.size;
      hits = responses
        .flatMap((r) => r.hits)
        .slice(start, start + window.count)
        .map((h) => toHit(h, 'text', snippetOf(h, marks, terms)));
      if (total > 0) break; // the strict query found something; dropping words is only a fallback
    }
    return { total, hits };
  }
}
