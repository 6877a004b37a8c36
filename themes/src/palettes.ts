/**
 * Palettes: one main colour (with a darker shade of the same hue for hover, focus and pressed states), one
 * accent used sparingly, a tinted surface for panels — with black text and white, that is the national rule of
 * at most three colours with one main. Every text/background pair the templates use is checked for WCAG AA in
 * themes/test/contrast.test.ts; `PALETTE_PAIRS` lists them.
 */
import { z } from 'zod';

const hex = z.string().regex(/^#[0-9a-f]{6}$/);
export const PaletteSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(2),
  colors: z.object({ primary: hex, primaryDark: hex, accent: hex, surface: hex }),
  /** Zhuang brocade (壮锦) pattern bands in the header and section rules, drawn in the main and accent colours. */
  brocade: z.boolean().default(false),
});
export type Palette = z.infer<typeof PaletteSchema>;

export const TEXT = '#1f1f1f';
export const MUTED = '#595959';
export const WHITE = '#ffffff';

export const PALETTES: Palette[] = [
  { id: 'gov-red', name: '中国红', colors: { primary: '#b3121b', primaryDark: '#8a0d14', accent: '#8f5400', surface: '#fbf3f2' } },
  { id: 'gov-blue', name: '政务蓝', colors: { primary: '#0b4f9c', primaryDark: '#083a73', accent: '#8f5400', surface: '#f1f5fb' } },
  { id: 'guangxi-green', name: '八桂绿', colors: { primary: '#1b6e3a', primaryDark: '#134f2a', accent: '#8a4b00', surface: '#f0f7f2' } },
  { id: 'brocade', name: '壮锦', colors: { primary: '#a3161f', primaryDark: '#7a1017', accent: '#0f6363', surface: '#fdf6ee' }, brocade: true },
  { id: 'lijiang', name: '漓江青', colors: { primary: '#0e6870', primaryDark: '#0a4f55', accent: '#9a4300', surface: '#eef7f7' } },
  { id: 'bronze-drum', name: '铜鼓金', colors: { primary: '#7a4a12', primaryDark: '#5a360d', accent: '#1f5f8b', surface: '#faf5ec' }, brocade: true },
  { id: 'party-red', name: '党建红', colors: { primary: '#bf0d0d', primaryDark: '#8f0a0a', accent: '#855c00', surface: '#fff7ef' } },
  { id: 'congress', name: '人大红金', colors: { primary: '#9e1b22', primaryDark: '#75141a', accent: '#7a5c00', surface: '#fbf5ec' } },
  { id: 'beibu-blue', name: '北部湾蓝', colors: { primary: '#005b8f', primaryDark: '#00446b', accent: '#a04200', surface: '#eef6fb' } },
  { id: 'ink', name: '墨青', colors: { primary: '#2f3e4c', primaryDark: '#1d2833', accent: '#a3361f', surface: '#f3f5f7' } },
].map((p) => PaletteSchema.parse(p));

export const paletteById = new Map(PALETTES.map((p) => [p.id, p]));

/**
 * Foreground on background, as the stylesheet uses them: [what, foreground, background, large text only].
 * Large-only pairs need 3:1, the others 4.5:1.
 */
export function palettePairs(p: Palette): [string, string, string, boolean][] {
  const c = p.colors;
  return [
    ['body text on white', TEXT, WHITE, false],
    ['muted text (dates) on white', MUTED, WHITE, false],
    ['body text on surface', TEXT, c.surface, false],
    ['muted text on surface', MUTED, c.surface, false],
    ['links and headings on white', c.primary, WHITE, false],
    ['dark links on surface', c.primaryDark, c.surface, false],
    ['links on surface', c.primary, c.surface, false],
    ['white on main (header, nav, buttons)', WHITE, c.primary, false],
    ['white on dark (hover, footer, current)', WHITE, c.primaryDark, false],
    ['accent text (badges, dates) on white', c.accent, WHITE, false],
    ['accent text on surface', c.accent, c.surface, false],
    ['focus outline (main) against white', c.primary, WHITE, true],
  ];
}
