/**
 * How a site's findings add up under the national scale (cms-schema INDICATORS): per indicator the points of its
 * findings, capped at the indicator's weight; vetoes counted apart. The score itself is the engine's (stored in
 * inspection_scores); the report shows the same arithmetic item by item.
 */
import { FINDING_KINDS, INDICATORS, type FindingKind, type Indicator } from '@ywtc/cms-schema';

export interface KindCount {
  kind: string;
  count: number;
  points: number;
}

export interface IndicatorTally {
  indicator: Indicator;
  label: string;
  cap: number;
  findings: number;
  /** The points the findings would take. */
  raw: number;
  /** What the indicator takes: `raw`, capped. */
  deducted: number;
}

/** The 扣分指标, in the table's order. */
export const DEDUCT_INDICATORS = (Object.entries(INDICATORS) as [Indicator, (typeof INDICATORS)[Indicator]][])
  .filter(([, spec]) => spec.cap !== null)
  .map(([key, spec]) => ({ key, label: spec.label, short: spec.label.replace(/（.*$/, ''), cap: spec.cap as number }));

const round = (n: number) => Math.round(n * 100) / 100;

/** Per 扣分指标 (all of them, zero where nothing was found), from a site's findings counted by kind. */
export function tallyDeductions(kinds: readonly KindCount[]): IndicatorTally[] {
  const by = new Map<Indicator, { findings: number; raw: number }>();
  for (const k of kinds) {
    const spec = FINDING_KINDS[k.kind as FindingKind];
    if (!spec || spec.severity !== 'deduct') continue;
    const t = by.get(spec.indicator) ?? { findings: 0, raw: 0 };
    t.findings += k.count;
    t.raw += k.points;
    by.set(spec.indicator, t);
  }
  return DEDUCT_INDICATORS.map((d) => {
    const t = by.get(d.key) ?? { findings: 0, raw: 0 };
    return { indicator: d.key, label: d.label, cap: d.cap, findings: t.findings, raw: round(t.raw), deducted: round(Math.min(t.raw, d.cap)) };
  });
}

/** The total the capped indicators take. */
export const totalDeducted = (t: readonly IndicatorTally[]) => round(t.reduce((n, x) => n + x.deducted, 0));

/** Veto findings counted, by kind. */
export const vetoCount = (kinds: readonly KindCount[]) =>
  kinds.reduce((n, k) => n + (FINDING_KINDS[k.kind as FindingKind]?.severity === 'veto' ? k.count : 0), 0);
