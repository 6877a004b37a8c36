/**
 * 地区 as each result shows it (search/src/area.ts): the Guangxi unit's place, 全国 for the centre, and other
 * provinces' documents marked as reference material in words, not only by their place in the list.
 */
import { html } from 'hono/html';
import type { Area } from '@ywtc/search';

export function areaLabel(area: Area | null) {
  if (!area) return html`<span class="area">地区未注明</span>`;
  if (area.scope === 'other') return html`<span class="badge far">外省参考 · ${area.name}</span>`;
  return html`<span class="area">地区：${area.scope === 'national' ? '全国' : area.name}</span>`;
}
