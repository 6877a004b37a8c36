import { z } from 'zod';

/**
 * Themes are data: a palette of CSS custom properties that the one set of layouts reads. The national rules
 * allow at most three colours on a page with one main colour; every text/background pair here meets WCAG AA.
 */
export const ThemeSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  layout: z.enum(['portal', 'unit']),
  colors: z.object({
    primary: z.string().regex(/^#[0-9a-f]{6}$/), // main colour: header, nav, headings
    primaryDark: z.string().regex(/^#[0-9a-f]{6}$/), // hover / focus / pressed state of the main colour
    accent: z.string().regex(/^#[0-9a-f]{6}$/), // sparing highlight: dates, badges
    surface: z.string().regex(/^#[0-9a-f]{6}$/), // tinted panels
  }),
});
export type Theme = z.infer<typeof ThemeSchema>;

export const THEMES: Record<string, Theme> = Object.fromEntries(
  [
    { id: 'portal-red', name: '门户·中国红', layout: 'portal', colors: { primary: '#b3121b', primaryDark: '#8a0d14', accent: '#9a5b00', surface: '#fbf3f2' } },
    { id: 'unit-blue', name: '部门·政务蓝', layout: 'unit', colors: { primary: '#0b4f9c', primaryDark: '#083a73', accent: '#9a5b00', surface: '#f1f5fb' } },
    { id: 'unit-red', name: '党建·中国红', layout: 'unit', colors: { primary: '#a8101a', primaryDark: '#7d0c13', accent: '#8a5a00', surface: '#fbf3f2' } },
  ].map((t) => [t.id, ThemeSchema.parse(t)]),
);

export function themeFor(id: string): Theme {
  const t = THEMES[id];
  if (!t) throw new Error(`unknown theme ${id}`);
  return t;
}

export function themeStyle(t: Theme): string {
  return `--c-primary:${t.colors.primary};--c-primary-dark:${t.colors.primaryDark};--c-accent:${t.colors.accent};--c-surface:${t.colors.surface}`;
}
