/** A template's three colours (main, accent, surface) as small squares, for the 模板库 and the admin template picker. */
import { html } from 'hono/html';
import type { Template } from '@ywtc/themes';

export const swatches = (t: Template, size = 16) =>
  html`<span class="swatches" aria-hidden="true">${[t.colors.primary, t.colors.accent, t.colors.surface].map((color) => html`<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}"><rect width="${size}" height="${size}" fill="${color}" stroke="#767676"/></svg>`)}</span>`;
