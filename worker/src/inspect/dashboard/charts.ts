/**
 * The dashboard's two charts that admin/chart.ts (two counts per day) does not draw: average inspection scores
 * per run over time (a line per schedule, with the 60-point line), and one count per unit (horizontal bars).
 * Inline SVG like chart.ts: no script, no external file, role="img" with a title and a one-sentence summary;
 * the page puts the same numbers in a table beside each. Series differ by marker and dash as well as colour.
 */
import { html } from 'hono/html';
import { PASS_SCORE, SCHEDULES, type Schedule } from '@ywtc/cms-schema';
import { SEARCH_COLOR, ZERO_COLOR, niceMax } from '../../admin/chart.ts';

const W = 720;
const LEFT = 52;
const RIGHT = 16;
const TOP = 16;
const INK = '#333';
/** Each ≥ 4.5:1 against white. */
const SERIES: Record<Schedule, { color: string; dash: string; marker: 'circle' | 'square' | 'diamond' }> = {
  quarterly: { color: SEARCH_COLOR, dash: '', marker: 'circle' },
  monthly: { color: ZERO_COLOR, dash: '8 4', marker: 'square' },
  weekly: { color: '#1b5e20', dash: '3 3', marker: 'diamond' },
};

export interface ScorePoint {
  schedule: Schedule;
  startedAt: string;
  average: number | null;
  passed: number;
  failed: number;
}

const cstDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

/** One sentence for a screen reader: how many runs, the latest average and verdicts. */
export function scoreSummary(points: readonly ScorePoint[], periodDays: number): string {
  const scored = points.filter((p) => p.average !== null);
  if (points.length === 0) return `近 ${periodDays} 天没有已完成的检查。`;
  const last = points[points.length - 1]!;
  const avg = last.average === null ? '所有网站均被单项否决，无平均分' : `平均得分 ${last.average} 分`;
  const range = scored.length ? `；各次平均得分在 ${Math.min(...scored.map((p) => p.average!))} 至 ${Math.max(...scored.map((p) => p.average!))} 分之间` : '';
  return `近 ${periodDays} 天共 ${points.length} 次检查${range}。最近一次（${cstDay(last.startedAt)} ${SCHEDULES[last.schedule].label}）${avg}，合格 ${last.passed} 个、不合格 ${last.failed} 个网站。`;
}

function marker(kind: 'circle' | 'square' | 'diamond', x: number, y: number, color: string) {
  if (kind === 'circle') return html`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="5" fill="${color}"/>`;
  if (kind === 'square') return html`<rect x="${(x - 4.5).toFixed(1)}" y="${(y - 4.5).toFixed(1)}" width="9" height="9" fill="${color}"/>`;
  return html`<path d="M${x.toFixed(1)} ${(y - 6).toFixed(1)}l6 6-6 6-6-6z" fill="${color}"/>`;
}

/** Average score per run on a time axis from `from` to `to` (instants), y from 0 to 100. */
export function scoreChart(points: readonly ScorePoint[], from: string, to: string, periodDays: number, id = 'score-chart') {
  const H = 280;
  const BOTTOM = 64; // dates, then the legend
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const t0 = Date.parse(from);
  const span = Math.max(1, Date.parse(to) - t0);
  const x = (iso: string) => LEFT + Math.min(1, Math.max(0, (Date.parse(iso) - t0) / span)) * plotW;
  const y = (v: number) => TOP + plotH - (v / 100) * plotH;
  const schedules = (Object.keys(SERIES) as Schedule[]).filter((s) => points.some((p) => p.schedule === s && p.average !== null));
  const dates = [0, 0.25, 0.5, 0.75, 1].map((f) => new Date(t0 + f * span).toISOString());
  return html`<svg role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${W} ${H}" width="100%" class="chart" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-title">近 ${periodDays} 天各次检查的平均得分</title>
<desc id="${id}-desc">${scoreSummary(points, periodDays)}</desc>
${[0, 50, 100].map(
  (t) =>
    html`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y(t)}" y2="${y(t)}" stroke="#bbb" stroke-width="1"/><text x="${LEFT - 6}" y="${y(t) + 5}" text-anchor="end" font-size="14" fill="${INK}">${t}</text>`,
)}
<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y(PASS_SCORE)}" y2="${y(PASS_SCORE)}" stroke="#8a0d14" stroke-width="1.5" stroke-dasharray="2 4"/>
<text x="${W - RIGHT}" y="${y(PASS_SCORE) - 6}" text-anchor="end" font-size="13" fill="#8a0d14">合格线 ${PASS_SCORE} 分</text>
${dates.map(
  (d, i) =>
    html`<text x="${LEFT + (i / 4) * plotW}" y="${TOP + plotH + 20}" text-anchor="${i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}" font-size="13" fill="${INK}">${cstDay(d)}</text>`,
)}
${schedules.map((s) => {
  const own = points.filter((p) => p.schedule === s && p.average !== null);
  const { color, dash, marker: m } = SERIES[s];
  const path = own.map((p, i) => `${i ? 'L' : 'M'}${x(p.startedAt).toFixed(1)} ${y(p.average!).toFixed(1)}`).join('');
  return html`<g><path d="${path}" fill="none" stroke="${color}" stroke-width="2.5"${dash ? html` stroke-dasharray="${dash}"` : ''}/>
${own.map(
  (p) =>
    html`<g><title>${cstDay(p.startedAt)} ${SCHEDULES[s].label}：平均 ${p.average} 分，合格 ${p.passed} 个，不合格 ${p.failed} 个</title>${marker(m, x(p.startedAt), y(p.average!), color)}</g>`,
)}</g>`;
})}
<line x1="${LEFT}" x2="${W - RIGHT}" y1="${TOP + plotH}" y2="${TOP + plotH}" stroke="${INK}" stroke-width="1.5"/>
${schedules.map((s, i) => {
  const lx = LEFT + i * 150;
  const ly = H - 14;
  return html`<g>${marker(SERIES[s].marker, lx + 6, ly - 5, SERIES[s].color)}<text x="${lx + 18}" y="${ly}" font-size="14" fill="${INK}">${SCHEDULES[s].label}</text></g>`;
})}
</svg>`;
}

export interface BarItem {
  label: string;
  value: number;
}

/** One sentence: the total, how many units had any, and the largest. */
export function barSummary(items: readonly BarItem[], what: string, unit: string): string {
  const total = items.reduce((a, i) => a + i.value, 0);
  if (total === 0) return `各单位均无${what}。`;
  const top = items.reduce((a, b) => (b.value > a.value ? b : a));
  const some = items.filter((i) => i.value > 0).length;
  return `${items.length} 个网站共${what} ${total} ${unit}，${some} 个网站有记录；最多的是${top.label}（${top.value} ${unit}）。`;
}

/** Horizontal bars, largest first, at most `limit` (the table beside it lists every unit). */
export function barChart(items: readonly BarItem[], what: string, unit: string, id: string, limit = 15) {
  const shown = [...items]
    .filter((i) => i.value > 0)
    .sort((a, b) => b.value - a.value || (a.label < b.label ? -1 : 1))
    .slice(0, limit);
  const LABEL = 250;
  const ROW = 28;
  const H = TOP + Math.max(1, shown.length) * ROW + 30;
  const top = niceMax(Math.max(0, ...shown.map((i) => i.value)));
  const plotW = W - LABEL - RIGHT - 56;
  const short = (s: string) => (s.length > 17 ? `${s.slice(0, 16)}…` : s);
  const rest = items.filter((i) => i.value > 0).length - shown.length;
  return html`<svg role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${W} ${H}" width="100%" class="chart" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-title">各网站${what}${rest > 0 ? `（前 ${shown.length} 个）` : ''}</title>
<desc id="${id}-desc">${barSummary(items, what, unit)}</desc>
${
  shown.length === 0
    ? html`<text x="${LEFT}" y="${TOP + 20}" font-size="14" fill="${INK}">暂无记录</text>`
    : shown.map((item, i) => {
        const yy = TOP + i * ROW;
        const w = (item.value / top) * plotW;
        return html`<g><title>${item.label}：${item.value} ${unit}</title>
<text x="${LABEL - 8}" y="${yy + 18}" text-anchor="end" font-size="14" fill="${INK}">${short(item.label)}</text>
<rect x="${LABEL}" y="${yy + 5}" width="${Math.max(1, w).toFixed(1)}" height="${ROW - 10}" fill="${SEARCH_COLOR}"/>
<text x="${(LABEL + Math.max(1, w) + 6).toFixed(1)}" y="${yy + 18}" font-size="14" fill="${INK}">${item.value}</text></g>`;
      })
}
<line x1="${LABEL}" x2="${LABEL}" y1="${TOP}" y2="${H - 30}" stroke="${INK}" stroke-width="1.5"/>
<text x="${LABEL}" y="${H - 8}" font-size="13" fill="${INK}">0</text><text x="${LABEL + plotW}" y="${H - 8}" text-anchor="end" font-size="13" fill="${INK}">${top}</text>
</svg>`;
}
