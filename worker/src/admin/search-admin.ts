/**
 * /admin/search: the search log (chart, hot and zero-result queries), best bets and synonyms, as CMS work —
 * site admins and platform admins read it, platform admins change it (cms-schema SEARCH_ACCESS), every change
 * audited in the same D1 batch as the change. Forms post and redirect back (303), so a reload never repeats a
 * change; bad input re-renders the page with a 400 that names the field, never a 5xx. A synonym change also
 * queues its push to the served index (search/src/queue.ts), drained before the answer.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { PinInputSchema, SynonymTermsSchema, canAnywhere, lookup } from '@ywtc/cms-schema';
import { enqueueSynonyms, forgetSynonyms, synonymStatements } from '@ywtc/search';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { auditStatement } from '../cms/audit.ts';
import { normalizeQuery } from '../search/analytics.ts';
import { drainSearch } from '../search/backend.ts';
import { MAX_PINS_PER_QUERY, addPinStatement, allPins, invalidatePins, pinsFor, removePinStatement, snapshotOf } from '../search/pins.ts';
import { dailyTotals, hotQueries, zeroResultQueries } from '../search/stats.ts';
import { searchAdminPage, type AdminPageInput } from './search-admin-page.ts';
import { viewerOf } from './viewer.ts';

const DAYS = 30;
const TOP = 20;
const FIELD_LABELS: Record<string, string> = { q: '搜索词', documentId: '文档 ID', terms: '同义词组' };

const NOTICES: Record<string, string> = {
  'pin-added': '已添加推荐结果。',
  'pin-removed': '已删除推荐结果。',
  'synonyms-added': '已添加同义词组，搜索已使用新词典。',
  'synonyms-removed': '已删除同义词组，搜索已使用新词典。',
  'synonyms-pending': '同义词组已保存；搜索服务暂时不可用，稍后自动更新。',
};

type FieldError = { field: string; message: string };
type FormValues = AdminPageInput['form'];

async function synonymGroups(db: D1Database): Promise<string[]> {
  const { results } = await db.prepare('SELECT terms FROM search_synonyms ORDER BY id').all<{ terms: string }>();
  return results.map((r) => r.terms);
}

async function render(c: Context<AppEnv>, status: 200 | 400, error: FieldError | null, form: Partial<FormValues>) {
  const db = c.env.DB;
  const [days, hot, zero, pins, synonyms] = await Promise.all([
    dailyTotals(db, DAYS),
    hotQueries(db, DAYS, TOP),
    zeroResultQueries(db, DAYS, TOP),
    allPins(db),
    synonymGroups(db),
  ]);
  const notice = lookup(NOTICES, c.req.query('done')) ?? null;
  return c.html(
    searchAdminPage({
      viewer: viewerOf(c),
      canManage: canAnywhere(staffOf(c).grants, 'search.manage'),
      days,
      hot,
      zero,
      pins,
      synonyms,
      notice,
      error: error && { ...error, label: lookup(FIELD_LABELS, error.field) ?? error.field },
      form: { pinQuery: form.pinQuery ?? '', pinDocumentId: form.pinDocumentId ?? '', terms: form.terms ?? '' },
    }),
    status,
  );
}

function firstIssue(error: z.ZodError): FieldError {
  const issue = error.issues[0]!;
  return { field: String(issue.path[0] ?? 'form'), message: issue.message };
}

/** The posted form as strings (a file where text belongs fails validation like any wrong value). */
async function formOf(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  try {
    return await c.req.parseBody();
  } catch {
    return {};
  }
}
const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 300) : '');

/** The dictionary replaced, with its audit entry and the push to the served index, in one batch; then pushed. */
async function saveSynonyms(c: Context<AppEnv>, stored: string[], action: string, target: string): Promise<boolean> {
  const db = c.env.DB;
  const now = new Date();
  await db.batch([
    ...synonymStatements(
      db,
      stored.map((g) => g.split('|')),
    ),
    enqueueSynonyms(db, now.toISOString()),
    await auditStatement(db, { accountId: staffOf(c).accountId, action, target: target.slice(0, 200), siteId: null }, now),
  ]);
  forgetSynonyms();
  const pushed = await drainSearch(c.env).catch((e: unknown) => ({ failed: String(e) }));
  return pushed.failed === null;
}

export const searchAdmin = new Hono<AppEnv>();
const manage = authorize('search', 'manage', 'page');

searchAdmin.get('/search', authorize('search', 'analytics', 'page'), (c) =>
  render(c, 200, null, { pinQuery: text(c.req.query('pin')).slice(0, 100), terms: text(c.req.query('terms')) }),
);

const PinForm = PinInputSchema.transform((v) => ({ ...v, q: normalizeQuery(v.q) })).refine((v) => v.q.length > 0, {
  message: '搜索词不能为空（标点和空格不算）',
  path: ['q'],
});

searchAdmin.post('/search/pins', manage, async (c) => {
  const body = await formOf(c);
  const form = { pinQuery: text(body.q), pinDocumentId: text(body.documentId) };
  const parsed = PinForm.safeParse(body);
  if (!parsed.success) return render(c, 400, firstIssue(parsed.error), form);
  const { q, documentId } = parsed.data;
  const [doc, existing] = await Promise.all([snapshotOf(c.env.DB, documentId), pinsFor(c.env.DB, q)]);
  if (!doc) return render(c, 400, { field: 'documentId', message: `未找到文档“${documentId}”：应为已发布、已编入搜索的文档 ID` }, form);
  if (existing.some((p) => p.documentId === documentId)) return render(c, 400, { field: 'documentId', message: '该文档已是这个搜索词的推荐结果' }, form);
  if (existing.length >= MAX_PINS_PER_QUERY) return render(c, 400, { field: 'documentId', message: `每个搜索词最多 ${MAX_PINS_PER_QUERY} 条推荐结果` }, form);
  await c.env.DB.batch([
    addPinStatement(c.env.DB, q, doc),
    await auditStatement(c.env.DB, { accountId: staffOf(c).accountId, action: 'search.pin-add', target: `${q} → ${documentId}`, siteId: null, after: doc }),
  ]);
  invalidatePins();
  return c.redirect('/admin/search?done=pin-added#pins', 303);
});

searchAdmin.post('/search/pins/delete', manage, async (c) => {
  const parsed = PinForm.safeParse(await formOf(c));
  if (!parsed.success) return render(c, 400, firstIssue(parsed.error), {});
  // Removing a pin that is already gone (a second click) is not an error: the result is what was asked for.
  const { q, documentId } = parsed.data;
  await c.env.DB.batch([
    removePinStatement(c.env.DB, q, documentId),
    await auditStatement(c.env.DB, { accountId: staffOf(c).accountId, action: 'search.pin-remove', target: `${q} → ${documentId}`, siteId: null }),
  ]);
  invalidatePins();
  return c.redirect('/admin/search?done=pin-removed#pins', 303);
});

const SynonymForm = z.object({ terms: SynonymTermsSchema });
const SynonymDelete = z.object({ terms: z.string({ error: '缺少同义词组' }).min(1).max(300) });

searchAdmin.post('/search/synonyms', manage, async (c) => {
  const body = await formOf(c);
  const parsed = SynonymForm.safeParse(body);
  if (!parsed.success) return render(c, 400, firstIssue(parsed.error), { terms: text(body.terms) });
  const groups = await synonymGroups(c.env.DB);
  const key = (terms: readonly string[]) => [...terms].sort().join('|');
  const added = parsed.data.terms;
  if (groups.some((g) => key(g.split('|')) === key(added))) return render(c, 400, { field: 'terms', message: '该同义词组已存在' }, { terms: text(body.terms) });
  const pushed = await saveSynonyms(c, [...groups, added.join('|')], 'search.synonyms-add', added.join('|'));
  return c.redirect(`/admin/search?done=${pushed ? 'synonyms-added' : 'synonyms-pending'}#synonyms`, 303);
});

searchAdmin.post('/search/synonyms/delete', manage, async (c) => {
  const parsed = SynonymDelete.safeParse(await formOf(c));
  if (!parsed.success) return render(c, 400, firstIssue(parsed.error), {});
  const groups = await synonymGroups(c.env.DB);
  const rest = groups.filter((g) => g !== parsed.data.terms);
  const pushed = rest.length === groups.length || (await saveSynonyms(c, rest, 'search.synonyms-remove', parsed.data.terms));
  return c.redirect(`/admin/search?done=${pushed ? 'synonyms-removed' : 'synonyms-pending'}#synonyms`, 303);
});
