/**
 * 域名管理 in the admin (mounted by admin/routes.ts under /admin): the 清查 report and probe status
 * (/admin/domains, .csv), 立即检查 for one site (POST /admin/domains/check), and domain-change requests
 * (/admin/domains/requests: file, decide). Access: cms-schema DOMAIN_ACCESS, then each site by `can`.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { DOMAIN_FIELDS, DomainDecisionSchema, DomainRequestInputSchema, SiteIdSchema, can, type DomainField } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { auditStatement } from '../cms/audit.ts';
import { parentMap } from '../cms/documents.ts';
import { noStore } from '../platform/http.ts';
import { viewerOf } from '../admin/viewer.ts';
import { probeDomains } from './probes.ts';
import { loadDomainRegistry, registryProblems } from './rules.ts';
import { ReportQuerySchema, filtered, reportCsv, reportPage, type ReportData } from './report-page.ts';
import { NOTICES, requestsPage, type RequestsView } from './requests-page.ts';
import { decideRequest, fileRequest, listRequests } from './requests.ts';

export const domainPages = new Hono<AppEnv>();

/** The registry, its problems and its probe rows, limited to the sites the viewer manages. */
async function reportData(c: Context<AppEnv>, query: ReportData['query']): Promise<ReportData> {
  const now = new Date();
  const [registry, parentOf] = await Promise.all([loadDomainRegistry(c.env.DB), parentMap(c.env.DB)]);
  const grants = staffOf(c).grants;
  const mine = new Set(registry.sites.filter((s) => can(grants, 'domain.request', { siteId: s.id }, parentOf)).map((s) => s.id));
  // Uniqueness is a property of the whole registry: the problems are found over all of it, then shown for the viewer's sites.
  const problems = registryProblems(registry.sites, registry.statuses, { now, redirects: registry.redirects }).filter((p) => mine.has(p.siteId));
  const sites = registry.sites.filter((s) => mine.has(s.id));
  const primary = new Map(sites.map((s) => [s.id, s.domains[0]!]));
  return {
    sites: sites.map((s) => ({ id: s.id, name: s.name, domains: s.domains })),
    problems,
    statuses: new Map(registry.statuses.map((s) => [s.host, s])),
    moved: registry.redirects.filter((r) => mine.has(r.siteId)).map((r) => ({ ...r, to: primary.get(r.siteId) ?? '' })),
    query,
    now,
  };
}

/** The query, or a 400 page naming the field (the filter form again, unfiltered). */
async function parsedQuery(c: Context<AppEnv>) {
  const parsed = ReportQuerySchema.safeParse(c.req.query());
  const data = await reportData(c, parsed.success ? parsed.data : { rule: '', site: '', severity: '' });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { data, error: `${DOMAIN_FIELDS[String(i.path[0]) as DomainField] ?? '查询'}：${i.message}` };
  }
  if (parsed.data.site && !data.sites.some((s) => s.id === parsed.data.site))
    return { data: { ...data, query: { ...data.query, site: '' } }, error: '网站：没有该网站，或您无权查看' };
  return { data, error: null };
}

domainPages.get('/domains', authorize('domains', 'read', 'page'), async (c) => {
  const { data, error } = await parsedQuery(c);
  if (error) return c.html(reportPage(viewerOf(c), data, { ok: false, text: error }), 400, noStore);
  const checked = /^\d{1,3}$/.exec(c.req.query('checked') ?? '')?.[0];
  return c.html(reportPage(viewerOf(c), data, checked ? { ok: true, text: `检查完成：${checked} 个域名的解析和证书状态已更新。` } : null), 200, noStore);
});

domainPages.get('/domains.csv', authorize('domains', 'read', 'page'), async (c) => {
  const { data, error } = await parsedQuery(c);
  if (error) return c.text(error, 400, noStore);
  return c.body(reportCsv(filtered(data.problems, data.query), new Map(data.sites.map((s) => [s.id, s.name]))), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="domains-${data.now.toISOString().slice(0, 10)}.csv"`,
    ...noStore,
  });
});

// 立即检查: probe one site's hosts now (the monthly schedule probes them all).
domainPages.post('/domains/check', authorize('domains', 'request', 'page'), async (c) => {
  const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const siteId = SiteIdSchema.safeParse(form.siteId);
  const p = staffOf(c);
  const site = siteId.success
    ? await c.env.DB.prepare('SELECT id, domains FROM sites WHERE id = ?').bind(siteId.data).first<{ id: string; domains: string }>()
    : null;
  if (!site || !can(p.grants, 'domain.request', { siteId: site.id }, await parentMap(c.env.DB))) {
    const { data } = await parsedQuery(c);
    return c.html(reportPage(viewerOf(c), data, { ok: false, text: '网站：没有该网站，或您无权检查' }), site ? 403 : 400, noStore);
  }
  const hosts = z.array(z.string()).parse(JSON.parse(site.domains));
  const run = await probeDomains(c.env, hosts);
  await c.env.DB.batch([
    await auditStatement(c.env.DB, { accountId: p.accountId, action: 'domain.check', target: site.id, siteId: site.id, detail: hosts.join(' ') }),
  ]);
  if (run.storeError) {
    const { data } = await parsedQuery(c);
    return c.html(reportPage(viewerOf(c), data, { ok: false, text: run.storeError }), 503, { ...noStore, 'Retry-After': '60' });
  }
  return c.redirect(`/admin/domains?site=${site.id}&checked=${run.statuses.length}`, 303);
});

async function requestsView(c: Context<AppEnv>, extra: Partial<RequestsView> = {}): Promise<RequestsView> {
  const p = staffOf(c);
  const parentOf = await parentMap(c.env.DB);
  const [{ results }, requests] = await Promise.all([
    c.env.DB.prepare("SELECT id, name, json_extract(domains, '$[0]') AS domain FROM sites ORDER BY sort_order, id").all<{
      id: string;
      name: string;
      domain: string;
    }>(),
    listRequests(c.env.DB, p),
  ]);
  return {
    sites: results.filter((s) => can(p.grants, 'domain.request', { siteId: s.id }, parentOf)),
    requests,
    notice: NOTICES[c.req.query('done') ?? ''] ?? null,
    error: null,
    typed: {},
    ...extra,
  };
}

domainPages.get('/domains/requests', authorize('domains', 'read', 'page'), async (c) => c.html(requestsPage(viewerOf(c), await requestsView(c)), 200, noStore));

const formString = (v: unknown) => (typeof v === 'string' ? v.slice(0, 2000) : undefined);

domainPages.post('/domains/requests', authorize('domains', 'request', 'page'), async (c) => {
  const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const typed = { siteId: formString(form.siteId), newDomain: formString(form.newDomain), reason: formString(form.reason) };
  const parsed = DomainRequestInputSchema.safeParse(typed);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return c.html(requestsPage(viewerOf(c), await requestsView(c, { typed, error: { field: String(i.path[0] ?? 'form'), message: i.message } })), 400, noStore);
  }
  const r = await fileRequest(c.env.DB, staffOf(c), parsed.data);
  if (!r.ok) return c.html(requestsPage(viewerOf(c), await requestsView(c, { typed, error: { field: r.field, message: r.message } })), r.status, noStore);
  return c.redirect('/admin/domains/requests?done=filed', 303);
});

domainPages.post('/domains/requests/:id/decision', authorize('domains', 'decide', 'page'), async (c) => {
  const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const parsed = DomainDecisionSchema.safeParse({ decision: formString(form.decision), comment: formString(form.comment) ?? '' });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return c.html(requestsPage(viewerOf(c), await requestsView(c, { error: { field: String(i.path[0] ?? 'decision'), message: i.message } })), 400, noStore);
  }
  const id = c.req.param('id').slice(0, 64);
  const r = await decideRequest(c.env, staffOf(c), id, parsed.data);
  if (!r.ok) return c.html(requestsPage(viewerOf(c), await requestsView(c, { error: { field: r.field, message: r.message } })), r.status, noStore);
  const done = r.value.request.state === 'rejected' ? 'rejected' : r.value.pending ? 'approved-pending' : 'approved';
  return c.redirect(`/admin/domains/requests?done=${done}`, 303);
});
