/**
 * Changing a site's primary domain: its admin files a request (the new domain must keep the naming rules and be
 * free), the unit above decides. Each step is one D1 batch with its audit entry. Approval switches the registry
 * in that same batch — the site's domains, its `site_hosts`, the old host into `domain_redirects` (301s from then
 * on), a whole-site render owed — so a crash leaves either nothing or the whole switch and its queued render,
 * which the Cron Trigger finishes. Approving twice changes nothing the second time (the request is no longer
 * pending); a domain taken meanwhile fails the batch whole.
 */
import {
  DOMAIN_FIELDS,
  can,
  proposedDomainProblems,
  type DomainDecision,
  type DomainRequest,
  type DomainRequestInput,
  type StaffPrincipal,
} from '@ywtc/cms-schema';
import { auditStatement } from '../cms/audit.ts';
import { parentMap } from '../cms/documents.ts';
import { fail, ok, type Result } from '../platform/result.ts';
import { forgetHosts } from '../platform/hosts.ts';
import { enqueueSiteRender, processRenderQueue } from '../render/render-queue.ts';
import type { RenderEnv } from '../render/update-site.ts';
import { forgetMoved } from './redirects.ts';
import { loadDomainRegistry } from './rules.ts';

interface RequestRow {
  id: string;
  site_id: string;
  old_domain: string;
  new_domain: string;
  reason: string;
  state: DomainRequest['state'];
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  comment: string | null;
}
export interface ListedRequest extends DomainRequest {
  siteName: string;
  requesterName: string;
  deciderName: string | null;
  /** Whether the viewer may decide it (pending, a site below theirs or they are a platform admin, not their own filing). */
  decidable: boolean;
}

const toRequest = (r: RequestRow): DomainRequest => ({
  id: r.id,
  siteId: r.site_id,
  oldDomain: r.old_domain,
  newDomain: r.new_domain,
  reason: r.reason,
  state: r.state,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  comment: r.comment,
});

const isPlatformAdmin = (p: StaffPrincipal) => p.grants.some((g) => g.role === 'platform-admin');
const guard = (db: D1Database) => [db.prepare('INSERT INTO cms_guard (ok) VALUES (changes())'), db.prepare('DELETE FROM cms_guard')];
const isConstraint = (e: unknown) => /constraint failed/i.test(String(e));

/** Who may decide: the unit above (a site admin over the site) or a platform admin; never the one who filed it. */
function mayDecide(p: StaffPrincipal, r: DomainRequest, parentOf: (id: string) => string | null): boolean {
  return r.state === 'pending' && can(p.grants, 'domain.approve', { siteId: r.siteId }, parentOf) && (r.requestedBy !== p.accountId || isPlatformAdmin(p));
}

/** The requests of the sites the viewer manages (theirs and those below), newest first. */
export async function listRequests(db: D1Database, p: StaffPrincipal): Promise<ListedRequest[]> {
  const parentOf = await parentMap(db);
  const { results } = await db
    .prepare(
      `SELECT r.*, s.name AS site_name, a.display_name AS requester_name, d.display_name AS decider_name FROM domain_requests r
       JOIN sites s ON s.id = r.site_id LEFT JOIN accounts a ON a.id = r.requested_by LEFT JOIN accounts d ON d.id = r.decided_by
       ORDER BY r.state = 'pending' DESC, r.requested_at DESC LIMIT 500`,
    )
    .all<RequestRow & { site_name: string; requester_name: string | null; decider_name: string | null }>();
  return results
    .filter((r) => can(p.grants, 'domain.request', { siteId: r.site_id }, parentOf))
    .map((r) => {
      const req = toRequest(r);
      return {
        ...req,
        siteName: r.site_name,
        requesterName: r.requester_name ?? r.requested_by,
        deciderName: r.decider_name,
        decidable: mayDecide(p, req, parentOf),
      };
    });
}

export async function fileRequest(db: D1Database, p: StaffPrincipal, input: DomainRequestInput, now = new Date()): Promise<Result<DomainRequest>> {
  const parentOf = await parentMap(db);
  if (!can(p.grants, 'domain.request', { siteId: input.siteId }, parentOf)) return fail(403, 'siteId', '只有该网站或上级网站的管理员可以申请变更域名');
  const [registry, pending] = await Promise.all([
    loadDomainRegistry(db),
    db.prepare("SELECT site_id, new_domain FROM domain_requests WHERE state = 'pending'").all<{ site_id: string; new_domain: string }>(),
  ]);
  const site = registry.sites.find((s) => s.id === input.siteId);
  if (!site) return fail(404, 'siteId', '网站不存在');
  if (pending.results.some((r) => r.site_id === site.id)) return fail(409, 'siteId', '该网站已有一项待审批的域名变更申请');
  const problems = proposedDomainProblems(registry.sites, site.id, input.newDomain, {
    redirects: registry.redirects,
    pending: pending.results.map((r) => ({ siteId: r.site_id, newDomain: r.new_domain })),
  });
  if (problems.length) return fail(400, 'newDomain', problems.join('；'));
  const request: DomainRequest = {
    id: `dr-${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`,
    siteId: site.id,
    oldDomain: site.domains[0]!,
    newDomain: input.newDomain,
    reason: input.reason,
    state: 'pending',
    requestedBy: p.accountId,
    requestedAt: now.toISOString(),
    decidedBy: null,
    decidedAt: null,
    comment: null,
  };
  try {
    await db.batch([
      db
        .prepare(
          "INSERT INTO domain_requests (id, site_id, old_domain, new_domain, reason, state, requested_by, requested_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
        )
        .bind(request.id, request.siteId, request.oldDomain, request.newDomain, request.reason, request.requestedBy, request.requestedAt),
      await auditStatement(
        db,
        {
          accountId: p.accountId,
          action: 'domain.request',
          target: request.id,
          siteId: site.id,
          after: request,
          detail: `${request.oldDomain} → ${request.newDomain}：${request.reason}`,
        },
        now,
      ),
    ]);
  } catch (e) {
    // Two filings at once: the unique indexes on pending requests let one through.
    if (isConstraint(e)) return fail(409, 'newDomain', '该网站或该域名已有待审批的申请');
    throw e;
  }
  return ok(request);
}

export interface Decided {
  request: DomainRequest;
  /** After an approval: whether the site's pages under the new domain are still owed (the queue keeps them). */
  pending: boolean;
}

export async function decideRequest(env: RenderEnv, p: StaffPrincipal, id: string, decision: DomainDecision, now = new Date()): Promise<Result<Decided>> {
  const db = env.DB;
  const row = await db.prepare('SELECT * FROM domain_requests WHERE id = ?').bind(id).first<RequestRow>();
  if (!row) return fail(404, 'id', '申请不存在');
  const r = toRequest(row);
  const parentOf = await parentMap(db);
  if (!can(p.grants, 'domain.approve', { siteId: r.siteId }, parentOf)) return fail(403, 'decision', '只有上级网站的管理员或平台管理员可以审批该申请');
  if (r.state !== 'pending') return fail(409, 'decision', `该申请已处理（${r.state === 'approved' ? '已批准' : '已驳回'}）`);
  if (r.requestedBy === p.accountId && !isPlatformAdmin(p)) return fail(403, 'decision', '不能审批自己提交的申请');
  const decided: DomainRequest = {
    ...r,
    state: decision.decision === 'approve' ? 'approved' : 'rejected',
    decidedBy: p.accountId,
    decidedAt: now.toISOString(),
    comment: decision.comment || null,
  };
  const close = [
    db
      .prepare("UPDATE domain_requests SET state = ?, decided_by = ?, decided_at = ?, comment = ? WHERE id = ? AND state = 'pending'")
      .bind(decided.state, decided.decidedBy, decided.decidedAt, decided.comment, r.id),
    ...guard(db),
  ];
  const audit = await auditStatement(
    db,
    {
      accountId: p.accountId,
      action: decision.decision === 'approve' ? 'domain.approve' : 'domain.reject',
      target: r.id,
      siteId: r.siteId,
      before: r,
      after: decided,
      detail: `${r.oldDomain} → ${r.newDomain}${decided.comment ? `：${decided.comment}` : ''}`,
    },
    now,
  );
  if (decision.decision === 'reject') {
    try {
      await db.batch([...close, audit]);
    } catch (e) {
      if (isConstraint(e)) return fail(409, 'decision', '该申请已被他人处理');
      throw e;
    }
    return ok({ request: decided, pending: false });
  }

  // The registry may have changed since the filing: the rules and the domain's being free are checked again.
  const registry = await loadDomainRegistry(db);
  const site = registry.sites.find((s) => s.id === r.siteId);
  if (!site || site.domains[0] !== r.oldDomain) return fail(409, 'decision', '网站的主域名已变化，请驳回后重新申请');
  const problems = proposedDomainProblems(registry.sites, site.id, r.newDomain, { redirects: registry.redirects, pending: [] });
  if (problems.length) return fail(409, 'decision', `${DOMAIN_FIELDS.newDomain}已不符合要求：${problems.join('；')}`);
  const domains = [r.newDomain, ...site.domains.filter((d) => d !== r.newDomain && d !== r.oldDomain)];
  try {
    await db.batch([
      ...close,
      db.prepare("UPDATE sites SET domains = ? WHERE id = ? AND json_extract(domains, '$[0]') = ?").bind(JSON.stringify(domains), site.id, r.oldDomain),
      ...guard(db),
      db.prepare('DELETE FROM site_hosts WHERE host = ? AND site_id = ?').bind(r.oldDomain, site.id),
      // Taking back a host the site once left.
      db.prepare('DELETE FROM domain_redirects WHERE host = ? AND site_id = ?').bind(r.newDomain, site.id),
      // An alias promoted keeps its row; a host another site took meanwhile is not touched, and the guard fails the batch.
      db
        .prepare(
          'INSERT INTO site_hosts (host, site_id) VALUES (?1, ?2) ON CONFLICT (host) DO UPDATE SET site_id = excluded.site_id WHERE site_hosts.site_id = ?2',
        )
        .bind(r.newDomain, site.id),
      db.prepare('INSERT INTO cms_guard (ok) SELECT count(*) FROM site_hosts WHERE host = ? AND site_id = ?').bind(r.newDomain, site.id),
      db.prepare('DELETE FROM cms_guard'),
      db.prepare('INSERT INTO domain_redirects (host, site_id, since, request_id) VALUES (?, ?, ?, ?)').bind(r.oldDomain, site.id, decided.decidedAt, r.id),
      enqueueSiteRender(db, site.id, decided.decidedAt!),
      audit,
    ]);
  } catch (e) {
    if (isConstraint(e)) return fail(409, 'decision', '域名已被占用或该申请已被他人处理，未作任何变更');
    throw e;
  }
  forgetHosts([r.oldDomain, r.newDomain]);
  forgetMoved([r.oldDomain, r.newDomain]);
  // The pages carry absolute links on their own domain (canonical, share cards, feeds): render the site whole now.
  const run = await processRenderQueue(env, { siteId: site.id }).catch((e: unknown) => {
    console.error(`rebuild ${site.id} after its domain change:`, e);
    return null;
  });
  const done = run?.sites.find((x) => x.siteId === site.id);
  return ok({ request: decided, pending: !(done && done.status === 'whole-site' && done.version) });
}
