/**
 * A domain change end to end in workerd: who may file and who may decide (the site's own admin files, the admin of
 * the site above approves, the filer never approves, others get 403), refusals naming the field, the switch in one
 * batch (registry, hosts, redirect, queued render, audit), the old host answering page by page with 301s, the site
 * rendered again under its new domain, and an approval that cannot go through leaving everything as it was.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { SiteSchema, TABLES, insertSql, toRow, type Site } from '@ywtc/cms-schema';
import { rebuildSite } from '../render/whole-site.ts';
import { SITES, seedRegistry } from '../testing/sites.ts';
import { addAccount, login as loginAs, type Session } from '../testing/accounts.ts';

const ADMIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Domain-test-2026';
const login = (u: string) => loginAs(u, PASSWORD);
const dept = (id: string, slug: string, code: string): Site =>
  SiteSchema.parse({
    ...SITES[1]!,
    id,
    name: `南宁市${slug}局`,
    kind: 'department',
    parentId: 'nanning',
    domains: [`${slug}.nanning.gov.cn`],
    idCode: code,
    sortOrder: 5,
  });

const post = (s: Session, path: string, fields: Record<string, string>) =>
  SELF.fetch(`${ADMIN}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: s.cookie, Origin: ADMIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: s.csrf, ...fields }),
  });
const get = (s: Session, path: string) => SELF.fetch(`${ADMIN}${path}`, { headers: { Cookie: s.cookie }, redirect: 'manual' });
const one = <T>(sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .first<T>();
const pendingId = async (siteId: string) => (await one<{ id: string }>("SELECT id FROM domain_requests WHERE site_id = ? AND state = 'pending'", siteId))?.id;
const audits = async (action: string) => (await one<{ n: number }>('SELECT count(*) AS n FROM audit_log WHERE action = ?', action))!.n;

let platform: Session, city: Session, fgwAdmin: Session, sibling: Session, editor: Session;
beforeAll(async () => {
  await seedRegistry();
  const extra = [dept('nn-fgw', 'fgw', '4501000011'), dept('nn-jyj', 'jyj', '4501000012')];
  await env.DB.batch([
    ...extra.map((s) => env.DB.prepare(insertSql(TABLES.sites)).bind(...toRow(TABLES.sites, s))),
    ...extra.map((s) => env.DB.prepare(insertSql(TABLES.siteHosts)).bind(s.domains[0], s.id)),
    env.DB.prepare(
      "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nn-fgw/tzgg', 'nn-fgw', NULL, 'tzgg', '通知公告', 'notice', '通知公告', '[]', 0)",
    ),
  ]);
  await addAccount('dm-platform', 'dm-platform', PASSWORD, [{ role: 'platform-admin', siteId: null }]);
  await addAccount('dm-city', 'dm-city', PASSWORD, [{ role: 'site-admin', siteId: 'nanning' }]);
  await addAccount('dm-fgw', 'dm-fgw', PASSWORD, [{ role: 'site-admin', siteId: 'nn-fgw' }]);
  await addAccount('dm-jyj', 'dm-jyj', PASSWORD, [{ role: 'site-admin', siteId: 'nn-jyj' }]);
  await addAccount('dm-editor', 'dm-editor', PASSWORD, [{ role: 'editor', siteId: 'nn-fgw' }]);
  const sessions = await Promise.all(['dm-platform', 'dm-city', 'dm-fgw', 'dm-jyj', 'dm-editor'].map(login));
  [platform, city, fgwAdmin, sibling, editor] = sessions as [Session, Session, Session, Session, Session];
  expect(await rebuildSite(env, 'nn-fgw', 'http://{domain}.localhost:8787')).not.toBeNull();
});

describe('a domain-change request', () => {
  it('is refused to an editor, and refused with the field named when the domain breaks a rule, is taken or the reason is missing', async () => {
    expect((await post(editor, '/admin/domains/requests', { siteId: 'nn-fgw', newDomain: 'fzgg.nanning.gov.cn', reason: '机构改革更名' })).status).toBe(403);
    const wrongPortal = await post(fgwAdmin, '/admin/domains/requests', { siteId: 'nn-fgw', newDomain: 'fzgg.gxzf.gov.cn', reason: '机构改革更名' });
    expect(wrongPortal.status).toBe(400);
    expect(await wrongPortal.text()).toContain('新域名：fzgg.gxzf.gov.cn：须为 &lt;单位&gt;.nanning.gov.cn');
    const notGov = await post(fgwAdmin, '/admin/domains/requests', { siteId: 'nn-fgw', newDomain: 'fzgg.nanning.com', reason: '机构改革更名' });
    expect(notGov.status).toBe(400);
    expect(await notGov.text()).toContain('新域名：域名须为 .gov.cn');
    const taken = await post(fgwAdmin, '/admin/domains/requests', { siteId: 'nn-fgw', newDomain: 'jyj.nanning.gov.cn', reason: '机构改革更名' });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain('已属于网站 nn-jyj');
    const noReason = await post(fgwAdmin, '/admin/domains/requests', { siteId: 'nn-fgw', newDomain: 'fzgg.nanning.gov.cn', reason: '' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('申请理由：至少 4 个字');
    // Another unit's site is not the sibling's to file for.
    expect((await post(sibling, '/admin/domains/requests', { siteId: 'nn-fgw', newDomain: 'fzgg.nanning.gov.cn', reason: '机构改革更名' })).status).toBe(403);
    expect(await one('SELECT count(*) AS n FROM domain_requests')).toEqual({ n: 0 });
  });

  it('is filed by the site admin (once), and decided only by the unit above: not by the filer, not by a sibling', async () => {
    const filed = await post(fgwAdmin, '/admin/domains/requests', { siteId: 'nn-fgw', newDomain: 'FZGG.nanning.gov.cn', reason: '机构改革，发改委更名' });
    expect(filed.status).toBe(303);
    expect(filed.headers.get('location')).toBe('/admin/domains/requests?done=filed');
    const id = (await pendingId('nn-fgw'))!;
    expect(await one('SELECT old_domain, new_domain, requested_by FROM domain_requests WHERE id = ?', id)).toEqual({
      old_domain: 'fgw.nanning.gov.cn',
      new_domain: 'fzgg.nanning.gov.cn',
      requested_by: 'dm-fgw',
    });
    expect(await audits('domain.request')).toBe(1);
    expect((await post(fgwAdmin, '/admin/domains/requests', { siteId: 'nn-fgw', newDomain: 'fzgg2.nanning.gov.cn', reason: '再申请一次' })).status).toBe(409);

    // The filer's page lists it as waiting; the city admin's page offers the decision.
    expect(await (await get(fgwAdmin, '/admin/domains/requests')).text()).toContain('等待上级单位审批');
    expect(await (await get(city, '/admin/domains/requests')).text()).toContain(`/admin/domains/requests/${id}/decision`);

    const own = await post(fgwAdmin, `/admin/domains/requests/${id}/decision`, { decision: 'approve' });
    expect(own.status).toBe(403);
    expect(await own.text()).toContain('只有上级网站的管理员或平台管理员可以审批');
    expect((await post(sibling, `/admin/domains/requests/${id}/decision`, { decision: 'approve' })).status).toBe(403);
    expect((await post(editor, `/admin/domains/requests/${id}/decision`, { decision: 'approve' })).status).toBe(403);
    const noChoice = await post(city, `/admin/domains/requests/${id}/decision`, {});
    expect(noChoice.status).toBe(400);
    expect(await noChoice.text()).toContain('审批结果：');
    expect(await one('SELECT state FROM domain_requests WHERE id = ?', id)).toEqual({ state: 'pending' });
  });

  it('approved by the city: the site moves in one batch, the old host redirects page by page, the site is rendered on its new domain', async () => {
    const before = await (await SELF.fetch('http://fgw.nanning.gov.cn/', { headers: { 'Accept-Encoding': 'identity' } })).text();
    expect(before).toContain('fgw.nanning.gov.cn');
    const id = (await pendingId('nn-fgw'))!;
    const res = await post(city, `/admin/domains/requests/${id}/decision`, { decision: 'approve', comment: '同意' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/domains/requests?done=approved');
    expect(await one("SELECT domains FROM sites WHERE id = 'nn-fgw'")).toEqual({ domains: '["fzgg.nanning.gov.cn"]' });
    expect((await env.DB.prepare("SELECT host FROM site_hosts WHERE site_id = 'nn-fgw'").all()).results).toEqual([{ host: 'fzgg.nanning.gov.cn' }]);
    expect(await one('SELECT host, site_id, request_id FROM domain_redirects')).toEqual({ host: 'fgw.nanning.gov.cn', site_id: 'nn-fgw', request_id: id });
    expect(await audits('domain.approve')).toBe(1);
    expect(await one('SELECT count(*) AS n FROM render_queue')).toEqual({ n: 0 });

    const moved = await SELF.fetch('http://fgw.nanning.gov.cn/some/page.html?x=1', { redirect: 'manual' });
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe('http://fzgg.nanning.gov.cn/some/page.html?x=1');
    const local = await SELF.fetch('http://fgw.nanning.gov.cn.localhost:8787/tzgg/?page=2', { redirect: 'manual' });
    expect(local.headers.get('location')).toBe('http://fzgg.nanning.gov.cn.localhost:8787/tzgg/?page=2');
    const preview = await SELF.fetch(`${ADMIN}/_site/fgw.nanning.gov.cn/tzgg/index.html?a=b`, { redirect: 'manual' });
    expect([preview.status, preview.headers.get('location')]).toEqual([301, '/_site/fzgg.nanning.gov.cn/tzgg/index.html?a=b']);

    const after = await SELF.fetch('http://fzgg.nanning.gov.cn/', { headers: { 'Accept-Encoding': 'identity' } });
    expect(after.status).toBe(200);
    const page = await after.text();
    expect(page).toContain('http://fzgg.nanning.gov.cn.localhost:8787/');
    expect(page).not.toContain('fgw.nanning.gov.cn');

    // Idempotent: the second approval changes nothing.
    const again = await post(city, `/admin/domains/requests/${id}/decision`, { decision: 'approve' });
    expect(again.status).toBe(409);
    expect(await audits('domain.approve')).toBe(1);
    // The old host stays the site's: no other site may ask for it.
    const grab = await post(sibling, '/admin/domains/requests', { siteId: 'nn-jyj', newDomain: 'fgw.nanning.gov.cn', reason: '想用这个域名' });
    expect(grab.status).toBe(400);
  });

  it('rejected only with a reason, which the filer sees', async () => {
    expect((await post(fgwAdmin, '/admin/domains/requests', { siteId: 'nn-fgw', newDomain: 'fg.nanning.gov.cn', reason: '缩短域名' })).status).toBe(303);
    const id = (await pendingId('nn-fgw'))!;
    const bare = await post(city, `/admin/domains/requests/${id}/decision`, { decision: 'reject' });
    expect(bare.status).toBe(400);
    expect(await bare.text()).toContain('审批意见：驳回须写明理由');
    expect((await post(city, `/admin/domains/requests/${id}/decision`, { decision: 'reject', comment: '域名过短，易混淆' })).status).toBe(303);
    expect(await one('SELECT state, comment, decided_by FROM domain_requests WHERE id = ?', id)).toEqual({
      state: 'rejected',
      comment: '域名过短，易混淆',
      decided_by: 'dm-city',
    });
    expect(await audits('domain.reject')).toBe(1);
    expect(await (await get(fgwAdmin, '/admin/domains/requests')).text()).toContain('域名过短，易混淆');
    expect(await one("SELECT domains FROM sites WHERE id = 'nn-fgw'")).toEqual({ domains: '["fzgg.nanning.gov.cn"]' });
  });

  it('cannot be approved once the domain was taken meanwhile: nothing changes, and the request stays pending', async () => {
    expect((await post(sibling, '/admin/domains/requests', { siteId: 'nn-jyj', newDomain: 'jy.nanning.gov.cn', reason: '机构改革更名' })).status).toBe(303);
    const id = (await pendingId('nn-jyj'))!;
    // Another path (the seed, a registry import) gives the host to Nanning before the decision.
    await env.DB.prepare("INSERT INTO site_hosts (host, site_id) VALUES ('jy.nanning.gov.cn', 'nanning')").run();
    await env.DB.prepare("UPDATE sites SET domains = json_insert(domains, '$[#]', 'jy.nanning.gov.cn') WHERE id = 'nanning'").run();
    const res = await post(platform, `/admin/domains/requests/${id}/decision`, { decision: 'approve' });
    expect(res.status).toBe(409);
    expect(await one('SELECT state FROM domain_requests WHERE id = ?', id)).toEqual({ state: 'pending' });
    expect(await one("SELECT domains FROM sites WHERE id = 'nn-jyj'")).toEqual({ domains: '["jyj.nanning.gov.cn"]' });
    expect(await one("SELECT site_id FROM site_hosts WHERE host = 'jyj.nanning.gov.cn'")).toEqual({ site_id: 'nn-jyj' });
    // The platform admin may decide any site's request, here with a rejection.
    expect((await post(platform, `/admin/domains/requests/${id}/decision`, { decision: 'reject', comment: '域名已被占用' })).status).toBe(303);
  });
});

describe('the 清查 report', () => {
  it('shows a site admin their sites and those below, with every broken rule, filtered, and as CSV; others get 403', async () => {
    await env.DB.prepare("UPDATE sites SET icp = '桂ICP备123号' WHERE id = 'nn-jyj'").run();
    const cityPage = await (await get(city, '/admin/domains')).text();
    expect(cityPage).toContain('<h1>域名管理</h1>');
    expect(cityPage).toContain('data-rule="icp-format"');
    expect(cityPage).toContain('data-host="fzgg.nanning.gov.cn"');
    expect(cityPage).not.toContain('data-host="www.gxzf.gov.cn"');
    expect(cityPage).toContain('<td>fgw.nanning.gov.cn</td>'); // the host it left, and where it sends readers
    expect(await (await get(platform, '/admin/domains')).text()).toContain('data-host="www.gxzf.gov.cn"');
    const fgwPage = await (await get(fgwAdmin, '/admin/domains')).text();
    expect(fgwPage).not.toContain('data-rule="icp-format"');

    const onlyOther = await (await get(city, '/admin/domains?rule=portal-www')).text();
    expect(onlyOther).not.toContain('data-rule="icp-format"');
    const bad = await get(city, '/admin/domains?rule=nope');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('规则：没有这条规则');
    expect((await get(fgwAdmin, '/admin/domains?site=gxzf')).status).toBe(400);

    const csv = await get(city, '/admin/domains.csv?rule=icp-format');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, for spreadsheet programs
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n')[0]).toBe('"网站编号","网站名称","域名","规则编号","规则","级别","说明"');
    expect(text).toContain('"nn-jyj"');
    expect(text.trim().split('\r\n')).toHaveLength(2);

    expect((await get(editor, '/admin/domains')).status).toBe(403);
    expect((await get(editor, '/admin/domains/requests')).status).toBe(403);
    expect((await SELF.fetch(`${ADMIN}/admin/domains`, { redirect: 'manual' })).status).toBe(303);
    expect(await (await get(city, '/admin')).text()).toContain('href="/admin/domains"');
    expect(await (await get(editor, '/admin')).text()).not.toContain('href="/admin/domains"');
  });
});
