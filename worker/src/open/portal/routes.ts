/**
 * The open-data portal (/open): the catalogue for everyone; registration, login and 我的单位 for external
 * units (their own accounts and sessions, the CMS's password and session rules); applications and keys.
 * Access is declared per route (cms-schema open/access.ts, 'portal' style: an anonymous visitor goes to the
 * login form). Every form is validated by its zod schema; a bad field comes back named, with a 4xx.
 */
import { Hono, type Context } from 'hono';
import {
  ApplicationInputSchema,
  DATASETS,
  OPEN_TOPICS,
  OPEN_TYPES,
  UnitRegistrationSchema,
  cstDate,
  envelopeSchema,
  toCst,
  type OpenTopic,
  type OpenType,
  type Principal,
} from '@ywtc/cms-schema';
import type { AppEnv } from '../../env.ts';
import { authorize } from '../../access/authorize.ts';
import { principalOf, unitOf } from '../../access/authenticate.ts';
import { clientAddress } from '../../cms/client-address.ts';
import { UNIT_SESSIONS, clearedCookie, endSession, sessionCookie } from '../../cms/session.ts';
import { auditStatement } from '../../cms/audit.ts';
import { noStore } from '../../platform/http.ts';
import { catalogue, registry, scopeSites } from '../catalogue.ts';
import { QUERIES } from '../datasets/index.ts';
import { applicationsOf, applyFor, createKey, keysOf, loginUnit, registerUnit, revokeKey, rotateKey, unitById } from '../units.ts';
import { callsByCode, chartDays, usageCsv, usageRows, usageWindow } from '../usage.ts';
import { accountPage, applyPage, registerPage, unitLoginPage, type FormError } from './account-pages.ts';
import { cataloguePage, entryPage, noEntryPage, type CatalogueFilter } from './catalogue-pages.ts';
import { PORTAL_CSP, PORTAL_STYLE, type PortalViewer } from './layout.ts';

/** Forms here are small; anything larger is refused before it is read. */
const MAX_FORM_BYTES = 16_384;

const viewerOf = (p: Principal): PortalViewer | null => (p.kind === 'unit' ? { unitName: p.unitName, csrf: p.csrfToken } : null);
const formOf = async (c: Context<AppEnv>): Promise<Record<string, string>> => {
  const body: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  return Object.fromEntries(
    Object.entries(body)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([k, v]) => [k, v.slice(0, 2000)]),
  );
};
const firstError = (issues: { path: PropertyKey[]; message: string }[]): FormError => ({
  field: String(issues[0]!.path[0] ?? 'form'),
  message: issues[0]!.message,
});

/** Where to go after logging in: a portal page this request named, or 我的单位. */
const nextPage = (raw: string | undefined) =>
  raw && /^\/open(\/[\w\-./%?=&]*)?$/.test(raw) && !raw.includes('//') && !raw.includes('..') ? raw : '/open/account';

const NOTICES: Record<string, string> = {
  applied: '申请已提交，请等待数据提供单位审批。',
  granted: '申请已获批（无条件开放），生成密钥后即可调用。',
  revoked: '密钥已吊销，使用它的调用从现在起会被拒绝。',
  registered: '注册成功，请登录。',
};

export const portal = new Hono<AppEnv>();

portal.use('*', async (c, next) => {
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > MAX_FORM_BYTES) return c.text(`提交的内容过大（超过 ${MAX_FORM_BYTES / 1024} KB），请精简后重试`, 413, noStore);
  await next();
  if (c.res.headers.get('content-type')?.startsWith('text/html')) {
    c.res.headers.set('Content-Security-Policy', PORTAL_CSP);
    c.res.headers.set('X-Frame-Options', 'DENY');
    c.res.headers.set('Referrer-Policy', 'same-origin');
  }
});

portal.get('/assets/portal.css', (c) => c.body(PORTAL_STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }));

portal.get('/', authorize('openCatalogue', 'browse'), async (c) => {
  const q = c.req.query();
  const { interfaces } = await catalogue(c.env.DB);
  const filter: CatalogueFilter = {
    q: (q.q ?? '').trim().slice(0, 30),
    topic: q.topic && q.topic in OPEN_TOPICS ? (q.topic as OpenTopic) : '',
    type: q.type && q.type in OPEN_TYPES ? (q.type as OpenType) : '',
    owner: (q.owner ?? '').slice(0, 63),
    page: Math.max(1, Math.min(1000, Number.parseInt(q.page ?? '1', 10) || 1)),
  };
  const owners = [...new Map(interfaces.map((i) => [i.ownerSiteId, i.ownerName])).entries()].map(([id, name]) => ({ id, name }));
  const calls = await callsByCode(c.env.DB, usageWindow().from);
  return c.html(cataloguePage({ viewer: viewerOf(await principalOf(c, ['unit'])), all: interfaces, filter, owners, calls }), 200, {
    'Cache-Control': 'no-cache',
  });
});

portal.get('/catalogue/:code', authorize('openCatalogue', 'browse'), async (c) => {
  const iface = (await catalogue(c.env.DB)).byCode.get(c.req.param('code'));
  const p = await principalOf(c, ['unit']);
  if (!iface) return c.html(noEntryPage(viewerOf(p), c.req.param('code').slice(0, 20)), 404, noStore);
  const reg = await registry(c.env.DB);
  const now = new Date();
  // A real sample of an unconditional interface (its first two records); a conditional one shows its structure only.
  const sample = {
    interface: { code: iface.code, name: iface.name, version: iface.version },
    data:
      iface.openType === 'unconditional'
        ? (await QUERIES[iface.dataset].list({ db: c.env.DB, reg, iface, dataset: iface.dataset, scope: scopeSites(reg, iface), filters: {}, now }, null, 2))
            .records
        : [],
    page: { limit: 2, next_cursor: null },
    generated_at: toCst(now),
  };
  envelopeSchema(DATASETS[iface.dataset].record).parse(sample);
  const calls = (await callsByCode(c.env.DB, usageWindow().from)).get(iface.code) ?? 0;
  const applied =
    p.kind === 'unit'
      ? ((await applicationsOf(c.env.DB, p.unitId)).find((a) => a.code === iface.code && (a.status === 'pending' || a.status === 'approved'))?.status ?? null)
      : null;
  return c.html(
    entryPage({ viewer: viewerOf(p), iface, sample, calls, applied: applied === 'pending' ? '待审批' : applied === 'approved' ? '已批准' : null }),
    200,
    { 'Cache-Control': 'no-cache' },
  );
});

portal.get('/register', (c) => c.html(registerPage({}, null), 200, noStore));
portal.post('/register', authorize('openUnit', 'register', 'portal'), async (c) => {
  const form = await formOf(c);
  const parsed = UnitRegistrationSchema.safeParse(form);
  if (!parsed.success) return c.html(registerPage(form, firstError(parsed.error.issues)), 400, noStore);
  const r = await registerUnit(c.env.DB, parsed.data);
  if (!r.ok) return c.html(registerPage(form, { field: r.field, message: r.message }), r.status, noStore);
  return c.redirect('/open/login?notice=registered', 303);
});

portal.get('/login', (c) => {
  const notice = NOTICES[c.req.query('notice') ?? ''] ?? null;
  return c.html(unitLoginPage(null, '', nextPage(c.req.query('next')), notice), 200, noStore);
});
portal.post('/login', authorize('openUnit', 'login', 'portal'), async (c) => {
  const form = await formOf(c);
  const next = nextPage(form.next);
  const username = (form.username ?? '').trim().toLowerCase().slice(0, 40);
  if (!username || !form.password) return c.html(unitLoginPage('请填写用户名和密码', username, next), 400, noStore);
  const r = await loginUnit(c.env.DB, username, form.password.slice(0, 128), clientAddress(c));
  if (!r.ok)
    return c.html(unitLoginPage(r.message, username, next), r.status, { ...noStore, ...(r.retryAfter ? { 'Retry-After': String(r.retryAfter) } : {}) });
  return new Response(null, { status: 303, headers: { Location: next, 'Set-Cookie': sessionCookie(r.token, UNIT_SESSIONS), ...noStore } });
});
portal.post('/logout', authorize('openUnit', 'self', 'portal'), async (c) => {
  const p = unitOf(c);
  await c.env.DB.batch([
    endSession(c.env.DB, p.sessionHash, UNIT_SESSIONS),
    await auditStatement(c.env.DB, { accountId: `open-unit:${p.accountId}`, action: 'open.logout', target: p.username, siteId: null }),
  ]);
  return new Response(null, { status: 303, headers: { Location: '/open', 'Set-Cookie': clearedCookie(UNIT_SESSIONS), ...noStore } });
});

async function renderAccount(
  c: Context<AppEnv>,
  extra: { newKey?: string | null; notice?: string | null; error?: string | null; status?: 200 | 400 | 403 | 404 | 409 },
) {
  const p = unitOf(c);
  const now = new Date();
  const [unit, apps, keys, cat] = await Promise.all([
    unitById(c.env.DB, p.unitId),
    applicationsOf(c.env.DB, p.unitId),
    keysOf(c.env.DB, p.unitId),
    catalogue(c.env.DB),
  ]);
  const w = usageWindow(now);
  const usage = await usageRows(c.env.DB, { unitId: p.unitId }, w.from, w.to);
  return c.html(
    accountPage({
      viewer: viewerOf(p)!,
      unit: unit!,
      applications: apps.map((a) => ({ ...a, interfaceName: cat.byCode.get(a.code)?.name ?? a.code })),
      keys,
      newKey: extra.newKey ?? null,
      usage,
      days: chartDays(usage, w.days),
      notice: extra.notice ?? null,
      error: extra.error ?? null,
      now,
    }),
    extra.status ?? 200,
    noStore,
  );
}

portal.get('/account', authorize('openUnit', 'self', 'portal'), (c) => renderAccount(c, { notice: NOTICES[c.req.query('notice') ?? ''] ?? null }));
portal.get('/account/usage.csv', authorize('openUnit', 'self', 'portal'), async (c) => {
  const w = usageWindow();
  const rows = await usageRows(c.env.DB, { unitId: unitOf(c).unitId }, w.from, w.to);
  return c.body(usageCsv(rows), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="open-usage-${w.to}.csv"`,
    ...noStore,
  });
});

const maxEndsOn = () => cstDate(new Date(Date.now() + 365 * 86_400_000).toISOString());

portal.get('/apply/:code', authorize('openUnit', 'self', 'portal'), async (c) => {
  const iface = (await catalogue(c.env.DB)).byCode.get(c.req.param('code'));
  if (!iface) return renderAccount(c, { error: '没有这个接口', status: 404 });
  return c.html(applyPage({ viewer: viewerOf(unitOf(c))!, iface, values: {}, error: null, maxEndsOn: maxEndsOn() }), 200, noStore);
});
portal.post('/apply/:code', authorize('openUnit', 'self', 'portal'), async (c) => {
  const iface = (await catalogue(c.env.DB)).byCode.get(c.req.param('code'));
  if (!iface) return renderAccount(c, { error: '没有这个接口', status: 404 });
  const form = await formOf(c);
  const page = (error: FormError, status: 400 | 403 | 404 | 409) =>
    c.html(applyPage({ viewer: viewerOf(unitOf(c))!, iface, values: form, error, maxEndsOn: maxEndsOn() }), status, noStore);
  const parsed = ApplicationInputSchema.safeParse({ ...form, code: iface.code });
  if (!parsed.success) return page(firstError(parsed.error.issues), 400);
  const r = await applyFor(c.env.DB, unitOf(c), parsed.data);
  if (!r.ok) return page({ field: r.field, message: r.message }, r.status);
  return c.redirect(`/open/account?notice=${r.value.status === 'approved' ? 'granted' : 'applied'}`, 303);
});

portal.post('/keys', authorize('openUnit', 'self', 'portal'), async (c) => {
  const r = await createKey(c.env.DB, unitOf(c));
  return r.ok ? renderAccount(c, { newKey: r.value.key, notice: '已生成新密钥。' }) : renderAccount(c, { error: r.message, status: r.status });
});
portal.post('/keys/:id/rotate', authorize('openUnit', 'self', 'portal'), async (c) => {
  const r = await rotateKey(c.env.DB, unitOf(c), c.req.param('id').slice(0, 80));
  return r.ok
    ? renderAccount(c, { newKey: r.value.key, notice: '已轮换密钥：旧密钥已吊销，请改用下面的新密钥。' })
    : renderAccount(c, { error: r.message, status: r.status });
});
portal.post('/keys/:id/revoke', authorize('openUnit', 'self', 'portal'), async (c) => {
  const r = await revokeKey(c.env.DB, unitOf(c), c.req.param('id').slice(0, 80));
  return r.ok ? c.redirect('/open/account?notice=revoked', 303) : renderAccount(c, { error: r.message, status: r.status });
});
