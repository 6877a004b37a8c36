/**
 * The Meilisearch backend without a server: documents, settings, query words, filter expressions and the
 * backend's requests and response handling against a fake HTTP server that speaks the documented API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SearchDocumentSchema, SearchParamsSchema, type SearchDocument, type SearchDocumentInput } from '../src/schema.ts';
import { parseSynonyms } from '../src/synonyms.ts';
import { indexText, runs } from '../src/tokenize.ts';
import { MeilisearchBackend, markup, newMarks, snippetOf, textWindow } from '../src/meilisearch/backend.ts';
import { decodeKey, encodeKey, placementKey, toMeiliDocument } from '../src/meilisearch/documents.ts';
import {
  coverWords,
  docNumberRequest,
  filterConditions,
  queryPlan,
  quoteFilterValue,
  synonymRules,
  termRuns,
  textSearchRequest,
  MAX_QUERY_WORDS,
  RETRIEVED_ATTRIBUTES,
} from '../src/meilisearch/query.ts';
import {
  DISPLAYED_ATTRIBUTES,
  FILTERABLE_ATTRIBUTES,
  INDEX_SETTINGS,
  RANKING_RULES,
  SEARCHABLE_ATTRIBUTES,
  SORTABLE_ATTRIBUTES,
  SYNONYM_KEY_RE,
  synonymKey,
  synonymsObject,
} from '../src/meilisearch/settings.ts';

const GROUPS = parseSynonyms(readFileSync(join(import.meta.dirname, '../data/synonyms.tsv'), 'utf8'));
const RULES = synonymRules(synonymsObject(GROUPS));
const keyOf = (term: string) => RULES.find((r) => r.terms.some((t) => t.join('') === term))!.key;

const doc = (id: string, extra: Partial<SearchDocumentInput> = {}): SearchDocument =>
  SearchDocumentSchema.parse({
    id,
    title: '关于做好待处理事项清理工作的通知',
    body: '各单位报送待处理的政务服务事项。\n联系电话：12345。',
    docNumber: '桂政办发〔2021〕120号',
    keywords: ['政务服务', '事项清理'],
    summary: '报送待处理事项',
    kind: 'notice',
    issuer: '广西壮族自治区人民政府办公厅',
    validity: '有效',
    publishedAt: '2021-06-01T08:00:00+08:00',
    placements: [
      { siteId: 'gxzf', path: `/tzgg/${id}.html`, columnKind: 'notice', siteKind: 'province-portal', level: 'province', region: '45' },
      { siteId: 'nanning', path: `/zcwj/${id}.html`, columnKind: 'policy', siteKind: 'city-portal', level: 'city', region: '4501' },
    ],
    ...extra,
  });

/** Meilisearch's reading of a double-quoted filter value (filter-parser's quoted_by, then unescaping). */
function parseQuoted(src: string): { value: string; rest: string } {
  if (src[0] !== '"') throw new Error('not quoted');
  let i = 1;
  let escaped = false;
  for (; i < src.length && src[i] !== '"'; i++) {
    if (src[i] === '\\') {
      i++;
      if (i >= src.length) throw new Error('malformed value');
      if (src[i] === '"') escaped = true;
    }
  }
  if (i >= src.length) throw new Error('missing closing delimiter');
  let raw = src.slice(1, i);
  if (escaped) raw = raw.split('\\"').join('"');
  let value = '';
  for (let j = 0; j < raw.length; j++) {
    if (raw[j] !== '\\') {
      value += raw[j];
      continue;
    }
    const next = raw[++j];
    if (next === '\\' || next === '"') value += next;
    else throw new Error(`unexpected escape \\${next}`);
  }
  return { value, rest: src.slice(i + 1) };
}
/** `attribute = "value"` → [attribute, value], or an error if anything follows the value. */
function parseCondition(c: string): [string, string] {
  const m = /^(\w+) = (.*)$/s.exec(c);
  if (!m) throw new Error(`not a condition: ${c}`);
  const { value, rest } = parseQuoted(m[2]!);
  if (rest !== '') throw new Error(`text after the value: ${rest}`);
  return [m[1]!, value];
}

describe('document ids as Meilisearch primary keys', () => {
  const ids = ['d1', 'gov.cn/2021/120', 'a.b', 'a_b', 'a-b', '桂政办发〔2021〕120号', 'x'.repeat(80), '政'.repeat(80), 'emoji-😀', 'a+b/c=', '?'];
  it.each(ids)('encodes %s reversibly into [A-Za-z0-9_-], at most 511 characters', (id) => {
    const key = encodeKey(id);
    expect(key).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(key.length).toBeLessThanOrEqual(511);
    expect(decodeKey(key)).toBe(id);
  });
  it('gives distinct ids distinct keys', () => {
    expect(new Set(ids.map(encodeKey)).size).toBe(ids.length);
  });
  it('refuses what is not a key', () => {
    expect(() => decodeKey('a.b')).toThrow();
    expect(() => decodeKey('')).toThrow();
  });
});

describe('SearchDocument → Meilisearch document', () => {
  const d = toMeiliDocument(doc('gov.cn/t1'));
  it('keeps the original fields for display and the key for the id', () => {
    expect(d).toMatchObject({
      id: 'gov.cn/t1',
      title: '关于做好待处理事项清理工作的通知',
      summary: '报送待处理事项',
      docNumber: '桂政办发〔2021〕120号',
      publishedAt: '2021-06-01T08:00:00+08:00',
    });
    expect(decodeKey(d.key)).toBe('gov.cn/t1');
    expect(d.placements).toEqual([
      { siteId: 'gxzf', path: '/tzgg/gov.cn/t1.html' },
      { siteId: 'nanning', path: '/zcwj/gov.cn/t1.html' },
    ]);
  });
  it('stores bigram streams, so 处理 is a word of 待处理', () => {
    expect(d.titleGrams.split(' ')).toContain('处理');
    expect(d.bodyGrams.split(' ')).toEqual(expect.arrayContaining(['待处', '处理', '12345']));
    expect(d.docNumberGrams).toBe(indexText('桂政办发〔2021〕120号'));
    // Keywords do not run into each other: 务事 would span 政务服务 and 事项清理.
    expect(d.keywordsGrams.split(' ')).not.toContain('务事');
    expect(toMeiliDocument(doc('n', { docNumber: null })).docNumberGrams).toBe('');
  });
  it('has a numeric timestamp for the date sort and the year as written', () => {
    expect(d.publishedTs).toBe(Date.parse('2021-06-01T00:00:00Z') / 1000);
    expect(toMeiliDocument(doc('y', { publishedAt: '2021-01-01T01:00:00+08:00' })).year).toBe(2021);
  });
  it('flattens placements into filterable arrays, with the region of a city and the combinations of one placement', () => {
    expect(d.siteIds).toEqual(['gxzf', 'nanning']);
    expect(d.columnKinds).toEqual(['notice', 'policy']);
    expect(d.levels).toEqual(['province', 'city']);
    expect(d.regions).toEqual(['45', '4501']);
    expect(d.placementKeys).toEqual(
      expect.arrayContaining(['s=nanning|c=policy', 's=gxzf|c=notice', 'c=policy|l=city|r=4501', 'c=policy|r=45', 'l=city|r=45']),
    );
    // Facts of different placements never combine.
    expect(d.placementKeys).not.toContain('s=gxzf|c=policy');
    expect(d.placementKeys).not.toContain('c=notice|l=city');
    expect(d.placementKeys.length).toBeLessThanOrEqual(2 * 18);
  });
  it('lists the parts of the issuer, for the issuer filter', () => {
    expect(d.issuerParts).toEqual(expect.arrayContaining(['广西壮族自治区人民政府办公厅', '办公厅', '人民政府', '广']));
    expect(toMeiliDocument(doc('i', { issuer: null })).issuerParts).toEqual([]);
  });
});

describe('index settings', () => {
  const fields = Object.keys(toMeiliDocument(doc('f')));
  it('searches only the bigram fields, title before 发文字号 before keywords before body', () => {
    expect(INDEX_SETTINGS.searchableAttributes).toEqual(['titleGrams', 'docNumberGrams', 'keywordsGrams', 'bodyGrams']);
  });
  it('names only fields the documents have', () => {
    for (const a of [...SEARCHABLE_ATTRIBUTES, ...FILTERABLE_ATTRIBUTES, ...SORTABLE_ATTRIBUTES, ...DISPLAYED_ATTRIBUTES, ...RETRIEVED_ATTRIBUTES])
      expect(fields, a).toContain(a);
  });
  it('can filter on everything the filters use, sort by date, and keeps the bigram fields out of responses', () => {
    const all = SearchParamsSchema.parse({
      site: 'gxzf',
      kind: 'policy',
      validity: '有效',
      year: 2021,
      issuer: '国务院',
      column: 'policy',
      level: 'city',
      region: '4501',
    });
    const used = [
      ...filterConditions(all),
      ...filterConditions({ site: 'gxzf' }),
      ...filterConditions({ column: 'policy' }),
      ...filterConditions({ level: 'city' }),
      ...filterConditions({ region: '45' }),
      'docNumber = "x"',
    ].map((c) => (c.startsWith('year = ') ? 'year' : parseCondition(c)[0]));
    expect(used).toContain('year');
    for (const a of used) expect(INDEX_SETTINGS.filterableAttributes, a).toContain(a);
    expect(INDEX_SETTINGS.sortableAttributes).toEqual(['publishedTs']);
    expect(INDEX_SETTINGS.displayedAttributes!.some((a) => a.endsWith('Grams'))).toBe(false);
    expect(RETRIEVED_ATTRIBUTES).not.toContain('body');
  });
  it('ranks by words, then the requested sort, then attribute before proximity', () => {
    expect(RANKING_RULES[0]).toBe('words');
    expect(RANKING_RULES.indexOf('sort')).toBeLessThan(RANKING_RULES.indexOf('attribute'));
    expect(RANKING_RULES.indexOf('attribute')).toBeLessThan(RANKING_RULES.indexOf('proximity'));
    expect(RANKING_RULES.at(-1)).toBe('publishedTs:desc');
  });
  it('keeps typos off numbers and 发文字号, and caps totals just above 1000', () => {
    expect(INDEX_SETTINGS.typoTolerance).toMatchObject({ disableOnNumbers: true, disableOnAttributes: ['docNumberGrams'] });
    expect(INDEX_SETTINGS.pagination).toEqual({ maxTotalHits: 1001 });
  });
});

describe('synonyms', () => {
  it('gives each group one single-word key whose synonyms are the bigram forms of its terms', () => {
    const obj = synonymsObject([['社保', '社会保险'], ['公积金', '住房公积金'], ['孤单'], ['重复', '重复']]);
    expect(obj).toEqual({ [synonymKey(0)]: ['社保', '社会 会保 保险'], [synonymKey(1)]: ['公积 积金', '住房 房公 公积 积金'] });
    expect(synonymKey(0)).toBe('ywtcsynaaaa');
    expect(synonymKey(27)).toBe('ywtcsynaabb');
    for (const k of Object.keys(synonymsObject(GROUPS))) expect(k).toMatch(SYNONYM_KEY_RE);
  });
  it('reads every term of the dictionary back from its bigram form', () => {
    for (const g of GROUPS) for (const t of g) expect(termRuns(indexText(t)), t).toEqual(runs(t).map((r) => r.toLowerCase()));
  });
  it('ignores synonym entries it did not write', () => {
    expect(synonymRules({ great: ['fantastic'], ywtcsynaaaa: ['社保', 3], ywtcsynaaab: 'x' })).toEqual([{ key: 'ywtcsynaaaa', terms: [['社保']] }]);
  });
});

describe('query words', () => {
  it('covers a Han run with bigrams, each one a bigram the index holds', () => {
    expect(coverWords('处理')).toEqual(['处理']);
    expect(coverWords('税')).toEqual(['税']);
    expect(coverWords('住房公积金')).toEqual(['住房', '公积', '积金']);
    expect(coverWords('待处理事项')).toEqual(['待处', '理事', '事项']);
    expect(coverWords('ABC')).toEqual(['abc']);
    const run = '广西壮族自治区人民政府办公厅关于印发';
    const indexed = new Set(indexText(run).split(' '));
    for (const w of coverWords(run)) expect(indexed.has(w), w).toBe(true);
    expect(coverWords(run).join('').length).toBeGreaterThanOrEqual(run.length);
  });
  it('sends a 2-character query as itself, so it matches inside compound words', () => {
    expect(queryPlan('处理', [])).toEqual({ q: '处理', keyword: true });
  });
  it('replaces a synonym term anywhere in a keyword query by its group key, both ways', () => {
    const key = keyOf('社保');
    expect(keyOf('社会保险')).toBe(key);
    expect(queryPlan('社保', RULES).q).toBe(key);
    expect(queryPlan('社会保险', RULES).q).toBe(key);
    // No bigram across the term and its neighbour (险缴).
    expect(queryPlan('社会保险缴费', RULES).q).toBe(`${key} 缴费`);
    expect(queryPlan('补缴社保', RULES).q).toBe(`补缴 ${key}`);
    // A single character left over stays a word of its own.
    expect(queryPlan('社保卡', RULES).q).toBe(`${key} 卡`);
    // The longest term wins: 城乡居民医保 is its own group, not 医保's.
    expect(queryPlan('城乡居民医保', RULES).q).toBe(keyOf('城乡居民医保'));
    expect(queryPlan('12345', RULES).q).toBe(keyOf('12345'));
    expect(queryPlan('社保 社会保险', RULES).q).toBe(key);
  });
  it('treats a long question as a question: no synonyms, at most ten words, commonest dropped by Meilisearch', () => {
    const p = queryPlan('我想问一下在南宁市怎么办理社保卡和提取住房公积金需要带什么材料', RULES);
    expect(p.keyword).toBe(false);
    expect(p.q).not.toMatch(/ywtcsyn/);
    expect(p.q.split(' ').length).toBeLessThanOrEqual(MAX_QUERY_WORDS);
  });
  it('has nothing to send for an empty query', () => {
    expect(queryPlan('', RULES).q).toBe('');
  });
});

describe('filter expressions', () => {
  it.each(['国务院', 'a"b', 'a\\b', '\\"', '"', '\\', 'x" OR kind = "policy', "it's", '〔2021〕', 'a\\"b\\\\"c'])(
    'quotes %s so that Meilisearch reads it back unchanged',
    (v) => {
      const quoted = quoteFilterValue(v);
      expect(parseQuoted(quoted)).toEqual({ value: v, rest: '' });
    },
  );
  it('has one condition per filter, each value quoted', () => {
    const c = filterConditions(SearchParamsSchema.parse({ kind: 'policy', validity: '有效', year: '2021', issuer: '办公厅' }));
    expect(c.map((x) => (x.startsWith('year') ? x : parseCondition(x)))).toEqual([
      ['kind', 'policy'],
      ['validity', '有效'],
      'year = 2021',
      ['issuerParts', '办公厅'],
    ]);
    expect(filterConditions(SearchParamsSchema.parse({}))).toEqual([]);
  });
  it('looks up one placement fact in its array, and several in the keys of one placement', () => {
    expect(filterConditions({ site: 'gxzf' }).map(parseCondition)).toEqual([['siteIds', 'gxzf']]);
    expect(filterConditions({ region: '45' }).map(parseCondition)).toEqual([['regions', '45']]);
    expect(filterConditions({ column: 'policy' }).map(parseCondition)).toEqual([['columnKinds', 'policy']]);
    expect(filterConditions({ level: 'county' }).map(parseCondition)).toEqual([['levels', 'county']]);
    expect(filterConditions({ site: 'nanning', column: 'policy' }).map(parseCondition)).toEqual([['placementKeys', 's=nanning|c=policy']]);
    expect(filterConditions({ region: '4501', level: 'city', column: 'policy' }).map(parseCondition)).toEqual([['placementKeys', 'c=policy|l=city|r=4501']]);
  });
  it('matches combined filters only on one placement (same keys as the documents)', () => {
    const d = toMeiliDocument(doc('p'));
    const holds = (p: Parameters<typeof filterConditions>[0]) =>
      filterConditions(p)
        .map(parseCondition)
        .every(([a, v]) => (d[a as keyof typeof d] as unknown[]).includes(v));
    expect(holds({ site: 'nanning', column: 'policy' })).toBe(true);
    expect(holds({ site: 'gxzf', column: 'policy' })).toBe(false);
    expect(holds({ region: '45', level: 'city' })).toBe(true);
    expect(holds({ region: '4502', level: 'city' })).toBe(false);
    expect(placementKey({ region: '45', site: 'a' })).toBe('s=a|r=45');
  });
  it('builds the search requests', () => {
    const marks = { pre: 'P', post: 'Q' };
    const r = textSearchRequest({
      plan: { q: '处理', keyword: true },
      strategy: 'all',
      conditions: ['kind = "notice"'],
      sort: 'date',
      page: 3,
      hitsPerPage: 10,
      marks,
    });
    expect(r).toMatchObject({
      q: '处理',
      matchingStrategy: 'all',
      filter: 'kind = "notice"',
      sort: ['publishedTs:desc'],
      page: 3,
      hitsPerPage: 10,
      attributesToCrop: ['body'],
      highlightPreTag: 'P',
      highlightPostTag: 'Q',
      locales: ['zho'],
    });
    expect(r.attributesToHighlight).toContain('body');
    const relevance = textSearchRequest({
      plan: { q: 'x', keyword: false },
      strategy: 'frequency',
      conditions: [],
      sort: 'relevance',
      page: 1,
      hitsPerPage: 10,
      marks,
    });
    expect(relevance.sort).toBeUndefined();
    expect(relevance.filter).toBeUndefined();
    expect(docNumberRequest('桂政办发〔2021〕120号', ['siteIds = "gxzf"']).filter).toBe('docNumber = "桂政办发〔2021〕120号" AND siteIds = "gxzf"');
  });
});

describe('pages after exact 发文字号 hits', () => {
  it.each([
    [1, 10, 0, { from: 0, count: 10, pages: [1] }],
    [1, 10, 1, { from: 0, count: 9, pages: [1] }],
    [2, 10, 1, { from: 9, count: 10, pages: [1, 2] }],
    [2, 10, 10, { from: 0, count: 10, pages: [1] }],
    [1, 10, 12, { from: 0, count: 0, pages: [1] }],
    [2, 10, 12, { from: 0, count: 8, pages: [1] }],
    [3, 10, 12, { from: 8, count: 10, pages: [1, 2] }],
  ])('page %i of %i after %i exact hits', (page, size, exact, want) => {
    expect(textWindow(page, size, exact)).toEqual(want);
  });
});

describe('snippets', () => {
  const marks = newMarks();
  const raw = (formattedBody: string | undefined, summary = '摘要') => ({
    id: 'x',
    title: 't',
    docNumber: null,
    kind: 'notice',
    issuer: null,
    validity: null,
    publishedAt: '2021-01-01T00:00:00+08:00',
    summary,
    placements: [],
    _formatted: formattedBody === undefined ? undefined : { body: formattedBody },
  });
  it('escapes everything; only the highlight becomes <mark>', () => {
    const html = markup(`<script>alert(1)</script>${marks.pre}处理${marks.post} & "引号"`, marks);
    expect(html).toBe('&lt;script&gt;alert(1)&lt;/script&gt;<mark>处理</mark> &amp; &quot;引号&quot;');
  });
  it('uses the cropped body when it has a highlight, else marks the summary itself, else escapes the summary', () => {
    expect(snippetOf(raw(`…各单位报送${marks.pre}待处理${marks.post}的事项`), marks, ['处理'])).toBe('…各单位报送<mark>待处理</mark>的事项');
    expect(snippetOf(raw('正文开头<b>', '报送待处理事项'), marks, ['处理'])).toBe('报送待<mark>处理</mark>事项');
    expect(snippetOf(raw(undefined, '<无关>'), marks, ['处理'])).toBe('&lt;无关&gt;');
  });
  it('uses tags no text contains, different on every request', () => {
    const other = newMarks();
    expect(other.pre).not.toBe(marks.pre);
    expect(marks.pre).toMatch(/^[a-z0-9]+$/);
    expect(marks.pre.includes(marks.post) || marks.post.includes(marks.pre)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The backend against a fake server: what it sends, and what it makes of the answers.

interface Sent {
  method: string;
  path: string;
  body: unknown;
}
type Route = (req: Sent) => { status?: number; body: unknown } | undefined;

let hostCount = 0;
function fakeServer(
  route: Route,
  taskStatus: (uid: number) => { status: string; error?: { code: string; message: string } } = () => ({ status: 'succeeded' }),
) {
  const sent: Sent[] = [];
  let taskUid = 0;
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  vi.stubGlobal('fetch', async (input: URL | string, init?: RequestInit) => {
    // As fetch does: an aborted request (the client's task-wait timeout) rejects with the signal's reason.
    if (init?.signal?.aborted) throw init.signal.reason;
    const url = new URL(String(input));
    const req: Sent = {
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      body: typeof init?.body === 'string' && init.body ? JSON.parse(init.body) : undefined,
    };
    sent.push(req);
    const m = /^\/tasks\/(\d+)$/.exec(url.pathname);
    if (m) {
      const s = taskStatus(Number(m[1]));
      return json(200, {
        uid: Number(m[1]),
        indexUid: 'i',
        type: 'documentAdditionOrUpdate',
        status: s.status,
        error: s.error ?? null,
        enqueuedAt: '',
        startedAt: null,
        finishedAt: null,
        duration: null,
        canceledBy: null,
        batchUid: null,
      });
    }
    const answer = route(req);
    if (answer) return json(answer.status ?? 200, answer.body);
    if (req.method !== 'GET') return json(202, { taskUid: ++taskUid, indexUid: 'i', status: 'enqueued', type: 'x', enqueuedAt: '' });
    if (url.pathname.endsWith('/settings/synonyms')) return json(200, {});
    return json(404, { message: 'not found', code: 'not_found', type: 'invalid_request', link: '' });
  });
  const backend = new MeilisearchBackend({ host: `http://meili-${++hostCount}.test`, apiKey: 'k', indexUid: 'docs', taskTimeoutMs: 2000 });
  return { backend, sent };
}
afterEach(() => {
  vi.unstubAllGlobals();
});

const hit = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `标题${id}`,
  docNumber: null,
  kind: 'policy',
  issuer: '国务院',
  validity: '有效',
  publishedAt: '2021-06-01T00:00:00+08:00',
  summary: `摘要${id}`,
  placements: [{ siteId: 'gxzf', path: `/p/${id}.html` }],
  ...extra,
});
const searches = (sent: Sent[]) => sent.filter((s) => s.path === '/indexes/docs/search').map((s) => s.body as Record<string, unknown>);

describe('MeilisearchBackend', () => {
  it('creates the index with its primary key, applies the settings, then adds documents and waits for them', async () => {
    const { backend, sent } = fakeServer(() => undefined);
    await backend.index([doc('a.b'), doc('c')]);
    const writes = sent.filter((s) => !s.path.startsWith('/tasks/'));
    expect(writes.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /indexes',
      'PATCH /indexes/docs/settings',
      'POST /indexes/docs/documents?primaryKey=key',
    ]);
    expect(writes[0]!.body).toEqual({ uid: 'docs', primaryKey: 'key' });
    expect(writes[1]!.body).toEqual(JSON.parse(JSON.stringify(INDEX_SETTINGS)));
    const added = writes[2]!.body as { key: string; id: string }[];
    expect(added.map((d) => [decodeKey(d.key), d.id])).toEqual([
      ['a.b', 'a.b'],
      ['c', 'c'],
    ]);
    expect(sent.filter((s) => s.path.startsWith('/tasks/')).length).toBeGreaterThanOrEqual(3);
    // Settings are applied once per isolate.
    await backend.index([doc('d')]);
    expect(sent.filter((s) => s.path === '/indexes/docs/settings')).toHaveLength(1);
  });

  it('accepts an index that already exists, and fails loudly when a task fails', async () => {
    const { backend } = fakeServer(
      () => undefined,
      (uid) =>
        uid === 1
          ? { status: 'failed', error: { code: 'index_already_exists', message: 'exists' } }
          : uid === 3
            ? { status: 'failed', error: { code: 'invalid_document_id', message: '主键无效' } }
            : { status: 'succeeded' },
    );
    await expect(backend.index([doc('x')])).rejects.toThrow(/写入文档失败.*主键无效/);
  });

  it('gives up waiting for a task after the timeout', async () => {
    const { backend } = fakeServer(
      () => undefined,
      () => ({ status: 'processing' }),
    );
    await expect(backend.remove(['x'])).rejects.toThrow(/timeout/);
  }, 10_000);

  it('removes documents by their encoded keys, and treats a missing index as nothing to remove', async () => {
    const { backend, sent } = fakeServer(
      () => undefined,
      () => ({ status: 'failed', error: { code: 'index_not_found', message: 'no index' } }),
    );
    await backend.remove(['a.b', '政策/1']);
    const del = sent.find((s) => s.path === '/indexes/docs/documents/delete-batch')!;
    expect((del.body as string[]).map(decodeKey)).toEqual(['a.b', '政策/1']);
  });

  it('puts exact 发文字号 hits first, excludes them from the text hits, and adds the totals', async () => {
    const marksOf = (b: Record<string, unknown>) => ({ pre: b.highlightPreTag as string, post: b.highlightPostTag as string });
    const { backend, sent } = fakeServer((req) => {
      if (req.path !== '/indexes/docs/search') return undefined;
      const b = req.body as Record<string, unknown>;
      if (b.q === null) return { body: { hits: [hit('n1', { docNumber: '桂政办发〔2021〕120号' })], totalHits: 1, page: 1, hitsPerPage: 50, totalPages: 1 } };
      const m = marksOf(b);
      return {
        body: {
          hits: [hit('t1', { _formatted: { body: `<i>报送${m.pre}待处理${m.post}</i>` } }), hit('t2')],
          totalHits: 2,
          page: 1,
          hitsPerPage: 10,
          totalPages: 1,
        },
      };
    });
    const r = await backend.search(SearchParamsSchema.parse({ q: '桂政办发[2021]120号', site: 'gxzf' }));
    const [exact, text] = searches(sent);
    expect(exact).toMatchObject({ q: null, filter: 'docNumber = "桂政办发〔2021〕120号" AND siteIds = "gxzf"' });
    expect(text!.filter).toBe('siteIds = "gxzf" AND docNumber != "桂政办发〔2021〕120号"');
    expect(r.hits.map((h) => [h.id, h.match])).toEqual([
      ['n1', 'doc-number'],
      ['t1', 'text'],
      ['t2', 'text'],
    ]);
    expect(r.total).toBe(3);
    expect(r.hits[1]!.snippet).toBe('&lt;i&gt;报送<mark>待处理</mark>&lt;/i&gt;');
    expect(r.hits[2]!.snippet).toBe('摘要t2');
    expect(r.hits.every((h) => h.related.length === 0)).toBe(true);
    expect(r.query).toBe('桂政办发 2021 120号');
  });

  it('drops words only when the strict keyword query finds nothing', async () => {
    const { backend, sent } = fakeServer((req) => {
      if (req.path !== '/indexes/docs/search') return undefined;
      const all = (req.body as Record<string, unknown>).matchingStrategy === 'all';
      return { body: { hits: all ? [] : [hit('f1')], totalHits: all ? 0 : 1, page: 1, hitsPerPage: 10, totalPages: 1 } };
    });
    const r = await backend.search(SearchParamsSchema.parse({ q: '住房公积金' }));
    expect(searches(sent).map((b) => [b.q, b.matchingStrategy])).toEqual([
      ['住房 公积 积金', 'all'],
      ['住房 公积 积金', 'frequency'],
    ]);
    expect(r.hits.map((h) => h.id)).toEqual(['f1']);
  });

  it('sends synonym keys it reads from the index, and reports totals past the cap as a lower bound', async () => {
    const synonyms = synonymsObject([['社保', '社会保险']]);
    const { backend, sent } = fakeServer((req) => {
      if (req.path === '/indexes/docs/settings/synonyms' && req.method === 'GET') return { body: synonyms };
      if (req.path === '/indexes/docs/search') return { body: { hits: [hit('s1')], totalHits: 1001, page: 1, hitsPerPage: 10, totalPages: 101 } };
      return undefined;
    });
    const r = await backend.search(SearchParamsSchema.parse({ q: '社会保险缴费', sort: 'date' }));
    expect(searches(sent)[0]).toMatchObject({ q: `${synonymKey(0)} 缴费`, matchingStrategy: 'all', sort: ['publishedTs:desc'] });
    expect(r).toMatchObject({ total: 1000, totalIsLowerBound: true });
    await backend.setSynonyms([['医保', '医疗保险']]);
    const put = sent.find((s) => s.method === 'PUT' && s.path === '/indexes/docs/settings/synonyms')!;
    expect(put.body).toEqual({ [synonymKey(0)]: ['医保', '医疗 疗保 保险'] });
  });

  it('asks for the pages that cover a window shifted by exact hits', async () => {
    const { backend, sent } = fakeServer((req) => {
      if (req.path !== '/indexes/docs/search') return undefined;
      const b = req.body as { q: string | null; page: number };
      if (b.q === null) return { body: { hits: [hit('n1')], totalHits: 1, page: 1, hitsPerPage: 50, totalPages: 1 } };
      const hits = Array.from({ length: 2 }, (_, i) => hit(`p${b.page}-${i}`));
      return { body: { hits, totalHits: 6, page: b.page, hitsPerPage: 2, totalPages: 3 } };
    });
    const r = await backend.search(SearchParamsSchema.parse({ q: '国发〔2021〕1号', size: 2, page: 2 }));
    expect(
      searches(sent)
        .slice(1)
        .map((b) => b.page),
    ).toEqual([1, 2]);
    // Positions 2–3 of [n1, p1-0, p1-1, p2-0, …].
    expect(r.hits.map((h) => h.id)).toEqual(['p1-1', 'p2-0']);
    expect(r.total).toBe(7);
  });

  it('answers an empty result before anything is indexed, and refuses a malformed response', async () => {
    const missing = fakeServer((req) =>
      req.path === '/indexes/docs/search'
        ? { status: 404, body: { message: 'Index `docs` not found.', code: 'index_not_found', type: 'invalid_request', link: '' } }
        : undefined,
    );
    expect(await missing.backend.search(SearchParamsSchema.parse({ q: '处理' }))).toMatchObject({ total: 0, hits: [] });
    const broken = fakeServer((req) => (req.path === '/indexes/docs/search' ? { body: { hits: [{ id: 'x' }], totalHits: 1 } } : undefined));
    await expect(broken.backend.search(SearchParamsSchema.parse({ q: '处理' }))).rejects.toThrow(/格式不对/);
    const noTotal = fakeServer((req) => (req.path === '/indexes/docs/search' ? { body: { hits: [], estimatedTotalHits: 0 } } : undefined));
    await expect(noTotal.backend.search(SearchParamsSchema.parse({ q: '处理' }))).rejects.toThrow(/totalHits/);
  });

  it('sends nothing for an empty query', async () => {
    const { backend, sent } = fakeServer(() => undefined);
    expect(await backend.search(SearchParamsSchema.parse({ q: '  *  ' }))).toMatchObject({ total: 0, hits: [] });
    expect(sent).toEqual([]);
  });

  it('refuses an index name Meilisearch would reject', () => {
    expect(() => new MeilisearchBackend({ host: 'http://x', indexUid: 'a b' })).toThrow(/索引名/);
    expect(() => new MeilisearchBackend({ host: '' })).toThrow(/MEILISEARCH_HOST/);
  });
});
