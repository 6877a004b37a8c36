/**
 * /admin/search on the platform hosts: analytics, best bets and synonyms (page in search-admin-page.ts). Guarded
 * by adminAuth (HTTP Basic; mutations same-origin only). Forms post and redirect back (303), so a reload never
 * repeats a change; bad input re-renders the page with a 400 that names the field, never a 5xx.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { D1Backend } from '@ywtc/search';
import { adminAuth } from './basic-auth.ts';
import type { AppEnv } from '../env.ts';
import { normalizeQuery } from '../search/analytics.ts';
import { searchBackend } from '../search/backend.ts';
import { MAX_PINS_PER_QUERY, addPin, allPins, pinsFor, removePin, snapshotOf } from '../search/pins.ts';
import { dailyTotals, hotQueries, zeroResultQueries } from '../search/stats.ts';
import { searchAdminPage, type AdminPageInput } from './search-admin-page.ts';

const DAYS = 30;
const TOP = 20;
const FIELD_LABELS: Record<string, string> = { q: '搜索词', documentId: '文档 ID', terms: '同义词组' };

const QueryField = z.string({ error: '请填写搜索词' }).max(100, '搜索词不能超过 100 个字').transform(normalizeQuery)
  .refine((q) => q.length > 0, '搜索词不能为空（标点和空格不算）');
const DocumentIdField = z.string({ error: '请填写文档 ID' }).trim().min(1, '请填写文档 ID').max(80, '文档 ID 不能超过 80 个字符');
const PinForm = z.object({ q: QueryField, documentId: DocumentIdField });

/** A synonym group as typed: terms separated by |, commas, 、 or spaces; each 2–20 letters or digits. */
const TermsField = z.string({ error: '请填写同义词组' }).max(300, '同义词组过长')
  .transform((s) => [...new Set(s.normalize('NFKC').toLowerCase().split(/[|,，、;；\s]+/).filter(Boolean))])
  .pipe(z.array(z.string().regex(/^[\p{L}\p{N}]{2,20}$/u, '每个词 2–20 个字，只能包含文字和数字（单字会误配其他词）'))
    .min(2, '同义词组至少需要两个不同的词').max(12, '同义词组最多 12 个词'));
const SynonymForm = z.object({ terms: TermsField });
const SynonymDelete = z.object({ terms: z.string({ error: '缺少同义词组' }).min(1).max(300) });

const NOTICES: Record<string, string> = {
  'pin-added': '已添加推荐结果。', 'pin-removed': '已删除推荐结果。', 'synonyms-added': '已添加同义词组，搜索已使用新词典。', 'synonyms-removed': '已删除同义词组，搜索已使用新词典。',
};

type FieldError = { field: string; message: string };
type FormValues = AdminPageInput['form'];

async function synonymGroups(db: D1Database): Promise<string[]> {
  const { results } = await db.prepare('SELECT terms FROM search_synonyms ORDER BY id').all<{ terms: string }>();
  return results.map((r) => r.terms);
}

async function render(c: Context<AppEnv>, status: 200 | 400, error: FieldError | null, form: Partial<FormValues>) {
  const db = c.env.DB;
  const [days, hot, zero, pins, synonyms] = await Promise.all([dailyTotals(db, DAYS), hotQueries(db, DAYS, TOP), zeroResultQueries(db, DAYS, TOP), allPins(db), synonymGroups(db)]);
  const notice = NOTICES[c.req.query('done') ?? ''] ?? null;
  return c.html(searchAdminPage({
    days, hot, zero, pins, synonyms, notice,
    error: error && { ...error, label: FIELD_LABELS[error.field] ?? error.field },
    form: { pinQuery: form.pinQuery ?? '', pinDocumentId: form.pinDocumentId ?? '', terms: form.terms ?? '' },
  }), status);
}

function firstIssue(error: z.ZodError): FieldError {
  const issue = error.issues[0]!;
  return { field: String(issue.path[0] ?? 'form'), message: issue.message };
}

/** The posted form as strings (a file where text belongs fails validation like any wrong value). */
async function formOf(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  try { return await c.req.parseBody(); } catch { return {}; }
}
const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 300) : '');

async function refreshSynonyms(c: Context<AppEnv>, stored: string[]) {
  const groups = stored.map((g) => g.split('|'));
  const backend = searchBackend(c.env);
  await backend.setSynonyms(groups);
  // D1's search_synonyms is the dictionary itself (the seed fills it, this page lists it): the D1 backend keeps
  // it as its own; over another backend it is written too — after that backend took the change, so a failure
  // there leaves both as they were.
  if (backend.name !== 'd1') await new D1Backend(c.env.DB).setSynonyms(groups);
}

export const searchAdmin = new Hono<AppEnv>().basePath('/admin/search');
searchAdmin.use('*', adminAuth);

searchAdmin.get('/', (c) => render(c, 200, null, { pinQuery: text(c.req.query('pin')).slice(0, 100), terms: text(c.req.query('terms')) }));

searchAdmin.post('/pins', async (c) => {
  const body = await formOf(c);
  const form = { pinQuery: text(body.q), pinDocumentId: text(body.documentId) };
  const parsed = PinForm.safeParse(body);
  if (!parsed.success) return render(c, 400, firstIssue(parsed.error), form);
  const { q, documentId } = parsed.data;
  const [doc, existing] = await Promise.all([snapshotOf(c.env.DB, documentId), pinsFor(c.env.DB, q)]);
  if (!doc) return render(c, 400, { field: 'documentId', message: `未找到文档“${documentId}”：应为已发布、已编入搜索的文档 ID` }, form);
  if (existing.some((p) => p.documentId === documentId)) return render(c, 400, { field: 'documentId', message: '该文档已是这个搜索词的推荐结果' }, form);
  if (existing.length >= MAX_PINS_PER_QUERY) return render(c, 400, { field: 'documentId', message: `每个搜索词最多 ${MAX_PINS_PER_QUERY} 条推荐结果` }, form);
  await addPin(c.env.DB, q, doc);
  return c.redirect('/admin/search?done=pin-added#pins', 303);
});

searchAdmin.post('/pins/delete', async (c) => {
  const body = await formOf(c);
  const parsed = PinForm.safeParse(body);
  if (!parsed.success) return render(c, 400, firstIssue(parsed.error), {});
  // Removing a pin that is already gone (a second click) is not an error: the result is what was asked for.
  await removePin(c.env.DB, parsed.data.q, parsed.data.documentId);
  return c.redirect('/admin/search?done=pin-removed#pins', 303);
});

searchAdmin.post('/synonyms', async (c) => {
  const body = await formOf(c);
  const parsed = SynonymForm.safeParse(body);
  if (!parsed.success) return render(c, 400, firstIssue(parsed.error), { terms: text(body.terms) });
  const groups = await synonymGroups(c.env.DB);
  const key = (terms: readonly string[]) => [...terms].sort().join('|');
  const added = parsed.data.terms;
  if (groups.some((g) => key(g.split('|')) === key(added))) return render(c, 400, { field: 'terms', message: '该同义词组已存在' }, { terms: text(body.terms) });
  await refreshSynonyms(c, [...groups, added.join('|')]);
  return c.redirect('/admin/search?done=synonyms-added#synonyms', 303);
});

searchAdmin.post('/synonyms/delete', async (c) => {
  const parsed = SynonymDelete.safeParse(await formOf(c));
  if (!parsed.success) return render(c, 400, firstIssue(parsed.error), {});
  const groups = await synonymGroups(c.env.DB);
  const rest = groups.filter((g) => g !== parsed.data.terms);
  if (rest.length !== groups.length) await refreshSynonyms(c, rest);
  return c.redirect('/admin/search?done=synonyms-removed#synonyms', 303);
});

searchAdmin.notFound((c) => c.text('未找到：搜索管理只有 /admin/search。', 404));
searchAdmin.onError((err, c) => {
  console.error(err);
  return c.text('服务暂时不可用，请稍后重试。', 503);
});
