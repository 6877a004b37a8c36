/**
 * 整改 follow-up in workerd with D1: what each run's findings do to a site's items — new → open with the kind's
 * deadline; fixed and still found → reopened; absent where the run looked → verified; absent where it did not →
 * unchanged; dismissed stays dismissed; verified and found again → reopened back at the site — and escalation of
 * overdue items county → city → region, each change with its audit row under `system`.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { FINDING_KINDS, type Finding, type FindingKind, type InspectionRun, type Rectification } from '@ywtc/cms-schema';
import { parentMap } from '../../cms/documents.ts';
import { escalateOverdue, itemsOfSite, rectificationStatements } from './sync.ts';
import { finding, run, seedHierarchy } from './test-fixtures.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-03-02T02:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const everything = () => true;

async function sync(r: InspectionRun, siteId: string, findings: Finding[], now: Date, covers: (k: FindingKind, url: string) => boolean = everything) {
  const statements = await rectificationStatements(env.DB, { run: r, siteId, findings, covers, now });
  if (statements.length) await env.DB.batch(statements);
}
const bySite = async (siteId: string) => new Map((await itemsOfSite(env.DB, siteId)).map((i) => [i.fingerprint, i]));
const audit = async (target: string) =>
  (
    await env.DB.prepare('SELECT action, account_id, site_id, detail FROM audit_log WHERE target = ? ORDER BY seq')
      .bind(target)
      .all<{ action: string; account_id: string; site_id: string; detail: string }>()
  ).results;
const mark = (id: string, state: Rectification['state']) => env.DB.prepare('UPDATE rectifications SET state = ? WHERE id = ?').bind(state, id).run();

beforeAll(seedHierarchy);

describe('a run brings a site’s 整改 items in line with what it found', () => {
  it('new findings become open items with the deadline of their kind, audited as the inspector', async () => {
    const r1 = run('r1', 'monthly', at(0));
    const stale = await finding('r1', 'nnxn', 'column-stale', '/tzgg/', 'nnxn/tzgg');
    const link = await finding('r1', 'nnxn', 'broken-link', '/yw/a.html', '/yw/gone.html');
    const veto = await finding('r1', 'nnxn', 'banned-term', '/yw/b.html', '某词');
    await sync(r1, 'nnxn', [stale, link, veto, stale], at(0));
    const items = await bySite('nnxn');
    expect(items.size).toBe(3);
    const s = items.get(stale.fingerprint)!;
    expect(s).toMatchObject({
      id: stale.fingerprint,
      state: 'open',
      kind: 'column-stale',
      escalation: 0,
      escalatedTo: 'nnxn',
      firstRunId: 'r1',
      lastRunId: 'r1',
      url: '/tzgg/',
    });
    expect(s.deadline).toBe(at(FINDING_KINDS['column-stale'].fixWithinDays).toISOString());
    expect(items.get(veto.fingerprint)!.deadline).toBe(at(1).toISOString()); // a veto is due the next day
    expect(await audit(stale.fingerprint)).toEqual([{ action: 'inspect.open', account_id: 'system', site_id: 'nnxn', detail: expect.stringContaining('r1') }]);
  });

  it('fixed but still found → reopened with a new deadline; gone where the run looked → verified; dismissed stays', async () => {
    const [stale, link, veto] = await Promise.all([
      finding('r1', 'nnxn', 'column-stale', '/tzgg/', 'nnxn/tzgg'),
      finding('r1', 'nnxn', 'broken-link', '/yw/a.html', '/yw/gone.html'),
      finding('r1', 'nnxn', 'banned-term', '/yw/b.html', '某词'),
    ]);
    await mark(stale.fingerprint, 'fixed'); // the admin says so, but the column is still stale
    await mark(veto.fingerprint, 'dismissed'); // the unit above accepted it
    const r2 = run('r2', 'monthly', at(10));
    await sync(
      r2,
      'nnxn',
      [
        { ...stale, runId: 'r2' },
        { ...veto, runId: 'r2' },
      ],
      at(10),
    ); // the broken link is gone: fixed by publishing
    const items = await bySite('nnxn');
    expect(items.get(stale.fingerprint)).toMatchObject({ state: 'reopened', lastRunId: 'r2', deadline: at(10 + 7).toISOString() });
    expect(items.get(link.fingerprint)).toMatchObject({ state: 'verified', lastRunId: 'r2' });
    expect(items.get(veto.fingerprint)).toMatchObject({ state: 'dismissed', lastRunId: 'r2' });
    expect((await audit(stale.fingerprint)).map((a) => a.action)).toEqual(['inspect.open', 'inspect.reopen']);
    expect((await audit(link.fingerprint)).map((a) => a.action)).toEqual(['inspect.open', 'inspect.verify']);
    expect((await audit(veto.fingerprint)).map((a) => a.action)).toEqual(['inspect.open']);

    // Marked fixed again, and this time the next run no longer finds it.
    await mark(stale.fingerprint, 'fixed');
    await sync(run('r3', 'monthly', at(20)), 'nnxn', [{ ...veto, runId: 'r3' }], at(20));
    const after = await bySite('nnxn');
    expect(after.get(stale.fingerprint)).toMatchObject({ state: 'verified', lastRunId: 'r3' });
    expect((await audit(stale.fingerprint)).map((a) => [a.action, a.account_id])).toEqual([
      ['inspect.open', 'system'],
      ['inspect.reopen', 'system'],
      ['inspect.verify', 'system'],
    ]);
  });

  it('an item the run did not look for stays as it is', async () => {
    const link = await finding('w1', 'nnqx', 'broken-link', '/yw/old.html', '/x.html');
    const alt = await finding('w1', 'nnqx', 'image-alt', '/yw/old.html', 'a.png');
    await sync(run('w1', 'quarterly', at(0)), 'nnqx', [link, alt], at(0));
    // A weekly 巡检 looks at the home page's links only, and never at alt texts.
    const weekly = run('w2', 'weekly', at(7));
    await sync(weekly, 'nnqx', [], at(7), (kind, url) => kind !== 'image-alt' && url === '/');
    const items = await bySite('nnqx');
    expect(items.get(link.fingerprint)).toMatchObject({ state: 'open', lastRunId: 'w1' });
    expect(items.get(alt.fingerprint)).toMatchObject({ state: 'open', lastRunId: 'w1' });
    // Once a run looks there and finds nothing, the open item is verified (fixed by publishing).
    await sync(run('w3', 'monthly', at(14)), 'nnqx', [alt], at(14), (kind) => kind === 'broken-link');
    const later = await bySite('nnqx');
    expect(later.get(link.fingerprint)).toMatchObject({ state: 'verified', lastRunId: 'w3' });
    expect(later.get(alt.fingerprint)).toMatchObject({ state: 'open', lastRunId: 'w3' });
  });

  it('a verified problem that comes back is reopened at its own site with a fresh deadline', async () => {
    const link = await finding('w1', 'nnqx', 'broken-link', '/yw/old.html', '/x.html');
    await env.DB.prepare("UPDATE rectifications SET escalation = 1, escalated_to = 'nanning' WHERE id = ?").bind(link.fingerprint).run();
    await sync(run('w4', 'monthly', at(30)), 'nnqx', [{ ...link, runId: 'w4' }], at(30));
    expect((await bySite('nnqx')).get(link.fingerprint)).toMatchObject({
      state: 'reopened',
      escalation: 0,
      escalatedTo: 'nnqx',
      deadline: at(37).toISOString(),
    });
  });

  it('an admin’s action between the read and the batch is neither overwritten nor audited as the run’s', async () => {
    const f = await finding('c1', 'nnxn-jyj', 'footer-missing', '/', 'footer');
    await sync(run('c1', 'monthly', at(0)), 'nnxn-jyj', [f], at(0));
    const statements = await rectificationStatements(env.DB, {
      run: run('c2', 'monthly', at(5)),
      siteId: 'nnxn-jyj',
      findings: [],
      covers: everything,
      now: at(5),
    });
    await mark(f.fingerprint, 'fixed'); // meanwhile the admin marks it fixed
    await env.DB.batch(statements);
    expect((await bySite('nnxn-jyj')).get(f.fingerprint)!.state).toBe('fixed');
    expect((await audit(f.fingerprint)).map((a) => a.action)).toEqual(['inspect.open']);
  });
});

describe('overdue items escalate up the hierarchy', () => {
  it('county → city → region, each with a new deadline and an audit row; at the top they stay', async () => {
    const f = await finding('e1', 'nnxn', 'footer-missing', '/', 'footer-e');
    await sync(run('e1', 'monthly', at(0)), 'nnxn', [f], at(0));
    const parentOf = await parentMap(env.DB, at(0).getTime() + 1e12);
    const item = async () => (await bySite('nnxn')).get(f.fingerprint)!;

    expect(await escalateOverdue(env.DB, at(6), parentOf)).toBe(0); // not yet due (7 days)
    expect(await item()).toMatchObject({ escalation: 0, escalatedTo: 'nnxn' });

    const moved = await escalateOverdue(env.DB, at(8), parentOf);
    expect(moved).toBeGreaterThanOrEqual(1);
    expect(await item()).toMatchObject({ state: 'open', escalation: 1, escalatedTo: 'nanning', deadline: at(15).toISOString() });

    await escalateOverdue(env.DB, at(16), parentOf);
    expect(await item()).toMatchObject({ escalation: 2, escalatedTo: 'gxzf', deadline: at(23).toISOString() });

    await escalateOverdue(env.DB, at(24), parentOf);
    expect(await item()).toMatchObject({ escalation: 2, escalatedTo: 'gxzf', deadline: at(23).toISOString() });

    const rows = (await audit(f.fingerprint)).filter((a) => a.action === 'inspect.escalate');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ account_id: 'system', site_id: 'nnxn', detail: expect.stringContaining('南宁市人民政府门户网站') });
    expect(rows[1]!.detail).toContain('广西壮族自治区人民政府门户网站');
  });

  it('fixed, verified and dismissed items never escalate', async () => {
    const f = await finding('e2', 'nnqx', 'footer-missing', '/', 'footer-f');
    await sync(run('e2', 'monthly', at(0)), 'nnqx', [f], at(0));
    await mark(f.fingerprint, 'fixed');
    await escalateOverdue(env.DB, at(100), await parentMap(env.DB, at(0).getTime() + 1e12));
    expect((await bySite('nnqx')).get(f.fingerprint)).toMatchObject({ state: 'fixed', escalation: 0, escalatedTo: 'nnqx' });
  });
});
