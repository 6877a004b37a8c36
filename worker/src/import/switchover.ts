/**
 * A migrated site's switch-over (数据融合与集约迁移, issue 15; D1 site_switchovers): the party, 纪委, 人大 and 政协
 * sites are imported into the store while their old site is still the one citizens use, and become live on the
 * platform at one moment, whole, after the inspector has judged exactly what will go live.
 *
 *   start     'importing' — from now on the render queue holds the site's tasks (render/render-queue.ts), so nothing
 *             imported (or edited meanwhile) reaches the live version piecemeal;
 *   render    the whole site into a NEW version in R2, the live pointer untouched (render/whole-site.ts `hidden`) —
 *             'rendered', with the version, the live version it was built on and the render-queue tasks it covers;
 *   inspect   the inspector's 季普查 rules on that version (inspect-site.ts `version`), its verdict stored — 'inspected';
 *   activate  refused while the verdict has a 单项否决 unless overridden with a reason (audited); else the pointer
 *             moves to the version in one compare-and-set write, then one D1 batch: 'live', the search index owed for
 *             every document on the site, the held tasks the version covered dropped, the audit row.
 *
 * Every step is safe to repeat: a state only moves forward, each move is a guarded UPDATE (cms_guard), a step asked
 * for again answers with what is already there, and a render killed half-way leaves 'importing' to be redone. A
 * repeated activation after the pointer write but before the batch finds the pointer already on the version and
 * finishes the batch. `again` renders a fresh version after the content was fixed (a veto, a late import).
 */
import { z } from 'zod';
import { PointerSchema, SiteIdSchema, commitPointer, publicationKeys as keys, type Pointer } from '@ywtc/cms-schema';
import type { Env } from '../env.ts';
import { auditStatement } from '../cms/audit.ts';
import { rebuildSite } from '../render/whole-site.ts';
import { processRenderQueue } from '../render/render-queue.ts';
import { collectGarbage } from '../render/publication-gc.ts';
import { runContext } from '../inspect/context.ts';
import { inspectSite } from '../inspect/inspect-site.ts';
import { scoreSite } from '../inspect/score.ts';
import { findingsOf } from '../inspect/run.ts';
import { workerNetworkChecks } from '../inspect/network.ts';
import type { NetworkChecks } from '../inspect/inspect-site.ts';
import { forgetOldHosts } from './redirects.ts';

export const SWITCHOVER_STATES = {
  importing: '导入中（待生成新版本）',
  rendered: '新版本已生成（待检查）',
  inspected: '新版本已检查（待上线）',
  live: '已上线',
  refused: '已终止',
} as const;
export type SwitchoverState = keyof typeof SWITCHOVER_STATES;

export const SWITCHOVER_STEPS = { start: '开始切换', render: '生成新版本', inspect: '检查新版本', activate: '上线' } as const;
export type SwitchoverStep = keyof typeof SWITCHOVER_STEPS;

/** Field names as the 4xx answers name them. */
export const SWITCHOVER_FIELDS = { siteId: '网站', step: '步骤', again: '重新生成', reason: '强制上线理由' } as const;

export const SwitchoverInputSchema = z.object({
  siteId: SiteIdSchema,
  step: z.enum(Object.keys(SWITCHOVER_STEPS) as [SwitchoverStep, ...SwitchoverStep[]], { message: '应为 start、render、inspect 或 activate' }),
  again: z.boolean().default(false),
  /** Going live despite a 单项否决: who decided and why goes into the audit log. */
  reason: z.string().trim().min(4, '至少 4 个字').max(500, '不能超过 500 个字').optional(),
});
export type SwitchoverInput = z.input<typeof SwitchoverInputSchema>;

const FindingItemSchema = z.object({ kind: z.string(), severity: z.string(), url: z.string(), target: z.string(), message: z.string() });
export type FindingItem = z.infer<typeof FindingItemSchema>;

const InspectionSchema = z.object({
  at: z.string(),
  verdict: z.enum(['pass', 'fail']),
  score: z.number().nullable(),
  vetoes: z.number(),
  vetoReasons: z.array(z.string()),
  deductions: z.number(),
  pages: z.number(),
  skipped: z.number(),
  findings: z.number(),
  byKind: z.record(z.string(), z.number()),
  /** The findings themselves, up to MAX_ITEMS (the counts above are complete). */
  items: z.array(FindingItemSchema),
});
export type Inspection = z.infer<typeof InspectionSchema>;

/** What site_switchovers.verdict holds: the render's facts, then the inspector's verdict on them. */
const RecordSchema = z.object({
  /** render_queue tasks of the site with seq ≤ this were queued before the render read the store: the version has them. */
  coveredSeq: z.number().int(),
  /** The live version the hidden one was built on: the pointer moves only if it is still live (compare-and-set). */
  base: z.string().nullable(),
  pointer: PointerSchema,
  inspection: InspectionSchema.nullable(),
});
export type SwitchoverRecord = z.infer<typeof RecordSchema>;

export interface Switchover {
  siteId: string;
  state: SwitchoverState;
  version: string | null;
  record: SwitchoverRecord | null;
  startedAt: string;
  updatedAt: string;
  switchedBy: string | null;
}

const MAX_ITEMS = 500;

type Row = {
  site_id: string;
  state: SwitchoverState;
  version: string | null;
  verdict: string | null;
  started_at: string;
  updated_at: string;
  switched_by: string | null;
};

export async function loadSwitchover(db: D1Database, siteId: string): Promise<Switchover | null> {
  const r = await db.prepare('SELECT * FROM site_switchovers WHERE site_id = ?').bind(siteId).first<Row>();
  if (!r) return null;
  const parsed = r.verdict ? RecordSchema.safeParse(JSON.parse(r.verdict)) : null;
  return {
    siteId: r.site_id,
    state: r.state,
    version: r.version,
    record: parsed?.success ? parsed.data : null,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    switchedBy: r.switched_by,
  };
}

export type SwitchoverEnv = Pick<Env, 'DB' | 'PAGES' | 'CARDS' | 'SITE_ORIGIN_TEMPLATE' | 'INSPECT_EXTERNAL_LINKS'>;
/** Who asks: a platform admin (their account) or the command line (the publishing token: no account). */
export interface Actor {
  accountId: string | null;
}
export type StepResult =
  | { ok: true; switchover: Switchover; changed: boolean; message: string }
  | { ok: false; status: 400 | 404 | 409 | 503; field: keyof typeof SWITCHOVER_FIELDS | null; message: string };

const refuse = (status: 400 | 404 | 409 | 503, message: string, field: keyof typeof SWITCHOVER_FIELDS | null = null): StepResult => ({
  ok: false,
  status,
  field,
  message,
});
const GUARD = 'INSERT INTO cms_guard VALUES (changes())';

/**
 * One conditional move in one batch: the UPDATE (or INSERT), the guard that fails the batch when it changed nothing
 * (another request moved the state first), then what goes with the move. True when this request made the move.
 */
async function move(db: D1Database, statements: D1PreparedStatement[]): Promise<boolean> {
  try {
    await db.batch([statements[0]!, db.prepare(GUARD), db.prepare('DELETE FROM cms_guard'), ...statements.slice(1)]);
    return true;
  } catch (e) {
    if (/CHECK constraint failed/i.test(String(e))) return false;
    throw e;
  }
}

const audit = async (db: D1Database, actor: Actor, siteId: string, step: string, detail: string) =>
  auditStatement(db, { accountId: actor.accountId, action: `import.switchover.${step}`, target: siteId, siteId, detail });

/** Runs one step; the result says what changed or, in Chinese, why not. */
export async function runStep(env: SwitchoverEnv, input: z.output<typeof SwitchoverInputSchema>, actor: Actor, waitUntil?: (p: Promise<unknown>) => void) {
  const site = await env.DB.prepare('SELECT id FROM sites WHERE id = ?').bind(input.siteId).first<{ id: string }>();
  if (!site) return refuse(404, '没有该网站', 'siteId');
  switch (input.step) {
    case 'start':
      return start(env.DB, input.siteId, actor);
    case 'render':
      return render(env, input.siteId, actor, input.again);
    case 'inspect':
      return inspect(env, input.siteId, actor);
    case 'activate':
      return activate(env, input.siteId, actor, input.reason ?? null, waitUntil);
  }
}

async function start(db: D1Database, siteId: string, actor: Actor): Promise<StepResult> {
  const existing = await loadSwitchover(db, siteId);
  if (existing) return { ok: true, switchover: existing, changed: false, message: `该网站的切换已开始（${SWITCHOVER_STATES[existing.state]}）。` };
  const migrating = await db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM import_sources s, json_each(s.site_ids) j WHERE j.value = ?1)
           OR EXISTS (SELECT 1 FROM import_records WHERE site_id = ?1) AS yes`,
    )
    .bind(siteId)
    .first<{ yes: number }>();
  if (!migrating?.yes) return refuse(409, '该网站没有导入来源或导入内容，无需切换', 'siteId');
  const at = new Date().toISOString();
  await move(db, [
    db
      .prepare(
        "INSERT OR IGNORE INTO site_switchovers (site_id, state, version, run_id, verdict, started_at, updated_at, switched_by) VALUES (?, 'importing', NULL, NULL, NULL, ?, ?, NULL)",
      )
      .bind(siteId, at, at),
    await audit(db, actor, siteId, 'start', '开始切换：网站的页面更新暂停，等待整站生成新版本'),
  ]);
  const now = (await loadSwitchover(db, siteId))!;
  return { ok: true, switchover: now, changed: true, message: '切换已开始：该网站的页面更新已暂停，导入完成后请生成新版本。' };
}

async function render(env: SwitchoverEnv, siteId: string, actor: Actor, again: boolean): Promise<StepResult> {
  const s = await loadSwitchover(env.DB, siteId);
  if (!s) return refuse(409, '请先开始切换', 'step');
  if (s.state === 'live' || s.state === 'refused') return refuse(409, `该网站的切换已结束（${SWITCHOVER_STATES[s.state]}）`, 'step');
  if (s.state !== 'importing' && !again) return { ok: true, switchover: s, changed: false, message: `新版本 ${s.version ?? ''} 已生成。` };
  // Read before the render reads the store: every task queued up to here is in the version the render writes.
  const high = await env.DB.prepare('SELECT coalesce(max(seq), 0) AS seq FROM render_queue WHERE site_id = ?').bind(siteId).first<{ seq: number }>();
  let built;
  try {
    built = await rebuildSite(env, siteId, env.SITE_ORIGIN_TEMPLATE, { hidden: true });
  } catch (e) {
    console.error(`switch-over render ${siteId}:`, e);
    return refuse(503, `生成新版本失败，请稍后重试：${String(e).slice(0, 200)}`);
  }
  if (!built) return refuse(409, '无法生成：该网站从未发布，且未配置网站地址模板（SITE_ORIGIN_TEMPLATE）');
  const record: SwitchoverRecord = { coveredSeq: high?.seq ?? 0, base: built.base, pointer: built.pointer, inspection: null };
  const at = new Date().toISOString();
  const moved = await move(env.DB, [
    env.DB.prepare(
      "UPDATE site_switchovers SET state = 'rendered', version = ?1, verdict = ?2, run_id = NULL, updated_at = ?3 WHERE site_id = ?4 AND state = ?5 AND coalesce(version, '') = ?6",
    ).bind(built.version, JSON.stringify(record), at, siteId, s.state, s.version ?? ''),
    await audit(env.DB, actor, siteId, 'render', `生成新版本 ${built.version}：${built.pages} 个页面（上线版本 ${built.base ?? '无'} 未变）`),
  ]);
  if (!moved) {
    // Another request moved the switch-over meanwhile: this version is nobody's.
    await env.PAGES.delete([keys.pack(siteId, built.version), keys.manifest(siteId, built.version)]);
    const now = (await loadSwitchover(env.DB, siteId))!;
    return { ok: true, switchover: now, changed: false, message: `新版本 ${now.version ?? ''} 已由另一请求生成。` };
  }
  return {
    ok: true,
    switchover: (await loadSwitchover(env.DB, siteId))!,
    changed: true,
    message: `新版本 ${built.version} 已生成（${built.pages} 个页面），网站仍在显示原版本。`,
  };
}

async function inspect(env: SwitchoverEnv, siteId: string, actor: Actor): Promise<StepResult> {
  const s = await loadSwitchover(env.DB, siteId);
  if (!s) return refuse(409, '请先开始切换', 'step');
  if (s.state === 'importing') return refuse(409, '请先生成新版本', 'step');
  if (s.state !== 'rendered') return { ok: true, switchover: s, changed: false, message: '新版本已检查。' };
  const record = s.record!;
  const version = s.version!;
  const now = new Date();
  const ctx = await runContext(env);
  // The hidden version is judged, not the site citizens reach now: the probes and availability of the live home page say
  // nothing about it, so only the checks of what the version contains run (external links when on, the registry).
  const all = workerNetworkChecks(env);
  const net: NetworkChecks = {
    ...(all.externalLinks ? { externalLinks: all.externalLinks } : {}),
    ...(all.registryProblems ? { registryProblems: all.registryProblems } : {}),
  };
  const r = await inspectSite(env, ctx, { schedule: 'quarterly', startedAt: now.toISOString() }, siteId, net, { version });
  const findings = await findingsOf(`switchover-${version}`, siteId, r.drafts);
  const score = scoreSite(`switchover-${version}`, siteId, findings, r.columns, r.pages);
  const byKind: Record<string, number> = {};
  for (const f of findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  // Vetoes first, so a long list never hides the findings that block the switch-over.
  const order = { veto: 0, deduct: 1, notice: 2 } as const;
  const items = [...findings]
    .sort((a, b) => order[a.severity] - order[b.severity] || a.kind.localeCompare(b.kind))
    .slice(0, MAX_ITEMS)
    .map((f) => ({ kind: f.kind, severity: f.severity, url: f.url.slice(0, 300), target: f.target.slice(0, 300), message: f.message }));
  const inspection: Inspection = {
    at: now.toISOString(),
    verdict: score.verdict,
    score: score.score,
    vetoes: score.vetoes,
    vetoReasons: score.vetoReasons,
    deductions: score.deductions,
    pages: r.pages,
    skipped: r.skips.length,
    findings: findings.length,
    byKind,
    items,
  };
  const summary = score.vetoes ? `单项否决 ${score.vetoes} 项` : `得分 ${score.score ?? ''}`;
  const moved = await move(env.DB, [
    env.DB.prepare(
      "UPDATE site_switchovers SET state = 'inspected', verdict = ?1, updated_at = ?2 WHERE site_id = ?3 AND state = 'rendered' AND version = ?4",
    ).bind(JSON.stringify({ ...record, inspection }), now.toISOString(), siteId, s.version),
    await audit(env.DB, actor, siteId, 'inspect', `检查新版本 ${version}：${summary}，问题 ${findings.length} 个`),
  ]);
  const after = (await loadSwitchover(env.DB, siteId))!;
  if (!moved) return { ok: true, switchover: after, changed: false, message: '新版本已由另一请求检查。' };
  return { ok: true, switchover: after, changed: true, message: `检查完成：${summary}，问题 ${findings.length} 个。` };
}

async function activate(
  env: SwitchoverEnv,
  siteId: string,
  actor: Actor,
  reason: string | null,
  waitUntil?: (p: Promise<unknown>) => void,
): Promise<StepResult> {
  const s = await loadSwitchover(env.DB, siteId);
  if (!s) return refuse(409, '请先开始切换', 'step');
  if (s.state === 'live') return { ok: true, switchover: s, changed: false, message: `网站已于 ${s.updatedAt} 上线。` };
  if (s.state !== 'inspected' || !s.record?.inspection) return refuse(409, s.state === 'refused' ? '该网站的切换已终止' : '请先生成并检查新版本', 'step');
  const { record } = s;
  const inspection = record.inspection!;
  if (inspection.vetoes > 0 && !reason)
    return refuse(
      409,
      `新版本存在单项否决问题，不能上线：${inspection.vetoReasons.join('；')}。请整改后重新生成并检查；如确需上线，请填写强制上线理由。`,
      'reason',
    );
  const version = s.version!;
  if (!(await env.PAGES.head(keys.manifest(siteId, version)))) return refuse(409, `新版本 ${version} 已不在存储中，请重新生成`, 'again');
  const live = await env.PAGES.head(keys.pointer(siteId));
  const liveVersion = live?.customMetadata?.version ?? null;
  // A repeat after the pointer write (the batch below never ran) finds the version already live: only the batch is left.
  if (liveVersion !== version) {
    if (liveVersion !== record.base) return refuse(409, `生成新版本后网站又发布了版本 ${liveVersion ?? '（无）'}，直接上线会丢失这些更新，请重新生成`, 'again');
    const pointer: Pointer = { ...record.pointer, publishedAt: new Date().toISOString() };
    if (!(await commitPointer(env.PAGES, siteId, pointer, record.base))) return refuse(409, '上线时网站的发布版本发生了变化，请重新生成', 'again');
  }
  const at = new Date().toISOString();
  const db = env.DB;
  const detail = reason
    ? `强制上线新版本 ${version}（存在单项否决：${inspection.vetoReasons.join('；')}）。理由：${reason}`
    : `上线新版本 ${version}（${inspection.score ?? ''} 分）`;
  const moved = await move(db, [
    db
      .prepare("UPDATE site_switchovers SET state = 'live', switched_by = ?1, updated_at = ?2 WHERE site_id = ?3 AND state = 'inspected' AND version = ?4")
      .bind(actor.accountId ?? 'machine', at, siteId, version),
    // The search index owed for every document the site shows — the imported ones had none while they were hidden.
    // One set-based statement with enqueueDocument's row shape (@ywtc/search): a batch of one statement per document
    // would not fit D1's per-invocation query limit for a site of tens of thousands of pages.
    db
      .prepare("INSERT INTO search_queue (kind, document_id, queued_at) SELECT 'document', document_id, ?1 FROM placements WHERE site_id = ?2")
      .bind(at, siteId),
    // The tasks held while the site was switched over that the version already shows; later ones follow as usual.
    db.prepare('DELETE FROM render_queue WHERE site_id = ?1 AND seq <= ?2').bind(siteId, record.coveredSeq),
    await audit(db, actor, siteId, reason ? 'override' : 'activate', detail),
  ]);
  const after = (await loadSwitchover(db, siteId))!;
  if (!moved) return { ok: true, switchover: after, changed: false, message: '网站已由另一请求上线。' };
  forgetOldHosts();
  if (waitUntil) {
    // Edits made during the switch-over, after the render, and versions nobody can reach any more.
    waitUntil(processRenderQueue(env, { siteId, waitUntil }).catch((e: unknown) => console.error(`render after switch-over ${siteId}:`, e)));
    waitUntil(collectGarbage(env.PAGES, siteId, version).catch((e: unknown) => console.error(`gc after switch-over ${siteId}:`, e)));
  }
  return { ok: true, switchover: after, changed: true, message: `网站已上线新版本 ${version}，旧网址开始按页面跳转到新网站。` };
}
