/**
 * A bar chart of two counts per day (searches and zero-result searches; for 数据开放, calls and refused calls)
 * as inline SVG: no script, no external file, prints and scales with the page. It is an image for assistive technology (role="img" with a summary); the page
 * puts the same numbers in a table next to it.
 */
import { html } from 'hono/html';

export interface ChartDay {
  day: string;
  searches: number;
  zeroResults: number;
}

const W = 720;
const H = 260;
const LEFT = 52;
const RIGHT = 12;
const TOP = 16;
const BOTTOM = 36;
// Searches in dark blue, zero-result searches in dark orange with hatching: each ≥ 4.5:1 against the white
// background, and told apart by position and pattern as well as by colour.
export const SEARCH_COLOR = '#0b4f9c';
export const ZERO_COLOR = '#a33f00';

/** The smallest 1, 2 or 5 × 10ⁿ at or above `n` (at least 1): a round top for the axis. */
export function niceMax(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/** What the two bars of a day count, in the chart's title and the sentences read out. */
export interface ChartLabels {
  /** The first count's verb phrase, e.g. 搜索 / 调用. */
  main: string;
  /** The second count, e.g. 无结果 / 被拒绝. */
  second: string;
}
export const SEARCH_LABELS: ChartLabels = { main: '搜索', second: '无结果' };

/** One sentence a screen reader announces for the chart. */
export function chartSummary(days: readonly ChartDay[], l: ChartLabels = SEARCH_LABELS): string {
  const searches = days.reduce((s, d) => s + d.searches, 0);
  const zero = days.reduce((s, d) => s + d.zeroResults, 0);
  if (days.length === 0 || searches === 0) return `近 ${days.length} 天没有${l.main}记录。`;
  const peak = days.reduce((a, b) => (b.searches > a.searches ? b : a));
  return `近 ${days.length} 天共${l.main} ${searches} 次，其中${l.second} ${zero} 次；单日最多 ${peak.searches} 次（${peak.day}）。`;
}

export function dailyChart(days: readonly ChartDay[], id = 'daily-chart', l: ChartLabels = SEARCH_LABELS) {
  const top = niceMax(Math.max(0, ...days.map((d) => d.searches)));
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const slot = plotW / Math.max(1, days.length);
  const bar = Math.max(1, slot * 0.38);
  const y = (v: number) => TOP + plotH - (v / top) * plotH;
  const ticks = [0, top / 2, top];
  // A date under every fifth day of a month; over a quarter or a year, about eight dates so they never overlap.
  const step = days.length <= 40 ? 5 : Math.ceil(days.length / 8);
  return html`<svg role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${W} ${H}" width="100%" class="chart" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-title">近 ${days.length} 天每日${l.main}次数与${l.second}次数</title>
<desc id="${id}-desc">${chartSummary(days, l)}</desc>
<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${ZERO_COLOR}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern></defs>
${ticks.map((t) => html`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y(t)}" y2="${y(t)}" stroke="#bbb" stroke-width="1"/><text x="${LEFT - 6}" y="${y(t) + 5}" text-anchor="end" font-size="14" fill="#333">${Number.isInteger(t) ? t : t.toFixed(1)}</text>`)}
${days.map((d, i) => {
  const x = LEFT + i * slot + (slot - 2 * bar) / 2;
  const label =
    (i % step === 0 && days.length - 1 - i >= step / 2) || i === days.length - 1
      ? html`<text x="${LEFT + i * slot + slot / 2}" y="${H - BOTTOM + 20}" text-anchor="middle" font-size="13" fill="#333">${d.day.slice(5)}</text>`
      : '';
  return html`<g><title>${d.day}：${l.main} ${d.searches} 次，${l.second} ${d.zeroResults} 次</title>
<rect x="${x.toFixed(1)}" y="${y(d.searches).toFixed(1)}" width="${bar.toFixed(1)}" height="${(TOP + plotH - y(d.searches)).toFixed(1)}" fill="${SEARCH_COLOR}"/>
<rect x="${(x + bar).toFixed(1)}" y="${y(d.zeroResults).toFixed(1)}" width="${bar.toFixed(1)}" height="${(TOP + plotH - y(d.zeroResults)).toFixed(1)}" fill="url(#${id}-hatch)"/>${label}</g>`;
})}
<line x1="${LEFT}" x2="${W - RIGHT}" y1="${TOP + plotH}" y2="${TOP + plotH}" stroke="#333" stroke-width="1.5"/>
</svg>`;
}
