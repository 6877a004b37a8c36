/**
 * A site's verdict the national way: any 单项否决 — a veto finding, or 栏目不更新 counted over the columns (≥ 5
 * 动态要闻/通知公告/政策文件 columns past their limit, ≥ 10 columns past any limit, ≥ 5 empty columns) — makes it
 * 不合格 and no score is given; otherwise 100 minus the deductions, each indicator taking at most its cap, and
 * below 60 is 不合格 too.
 */
import { COLUMN_KINDS, COLUMN_VETO, FINDING_KINDS, INDICATORS, PASS_SCORE, type Column, type Finding, type Indicator, type SiteScore } from '@ywtc/cms-schema';

/** Columns the national rule names first: 动态要闻 (2 weeks) and 通知公告 / 政策文件 (6 months). */
const FREQUENT = (kind: Column['kind']) => {
  const d = COLUMN_KINDS[kind].updateWithinDays;
  return d !== null && d <= 183;
};

export function scoreSite(runId: string, siteId: string, findings: readonly Finding[], columns: readonly Column[], pages: number): SiteScore {
  const kindOf = new Map(columns.map((c) => [c.id, c.kind]));
  const reasons: string[] = [];
  const vetoKinds = new Map<string, number>();
  for (const f of findings) if (f.severity === 'veto') vetoKinds.set(f.kind, (vetoKinds.get(f.kind) ?? 0) + 1);
  for (const [kind, n] of vetoKinds)
    reasons.push(
      `${INDICATORS[FINDING_KINDS[kind as keyof typeof FINDING_KINDS].indicator].label}：${FINDING_KINDS[kind as keyof typeof FINDING_KINDS].label} ${n} 处`,
    );
  const stale = findings.filter((f) => f.kind === 'column-stale');
  const frequentStale = stale.filter((f) => {
    const k = kindOf.get(f.target);
    return k !== undefined && FREQUENT(k);
  }).length;
  const empty = findings.filter((f) => f.kind === 'column-empty').length;
  if (frequentStale >= COLUMN_VETO.frequentStale) reasons.push(`单项否决·栏目不更新：动态要闻、通知公告、政策文件类栏目 ${frequentStale} 个未按期更新`);
  if (stale.length + empty >= COLUMN_VETO.anyStale) reasons.push(`单项否决·栏目不更新：应更新但长期未更新的栏目 ${stale.length + empty} 个`);
  if (empty >= COLUMN_VETO.empty) reasons.push(`单项否决·栏目不更新：空白栏目 ${empty} 个`);
  const byIndicator = new Map<Indicator, number>();
  for (const f of findings)
    if (f.severity === 'deduct') byIndicator.set(FINDING_KINDS[f.kind].indicator, (byIndicator.get(FINDING_KINDS[f.kind].indicator) ?? 0) + f.points);
  let deductions = 0;
  for (const [ind, pts] of byIndicator) deductions += Math.min(pts, INDICATORS[ind].cap ?? pts);
  deductions = Math.round(deductions * 10) / 10;
  const vetoed = reasons.length > 0;
  const score = vetoed ? null : Math.max(0, Math.round((100 - deductions) * 10) / 10);
  return {
    runId,
    siteId,
    verdict: vetoed || (score !== null && score < PASS_SCORE) ? 'fail' : 'pass',
    score,
    vetoes: reasons.length,
    deductions,
    pages,
    findings: findings.length,
    vetoReasons: reasons,
  };
}
