/**
 * Templates: a declared combination of a layout family (the page frame: width, where navigation sits, how
 * sections and lists look), a header style, a homepage block arrangement and a palette. Each family × header ×
 * home combination is its own template — a person sees a different page, not a hue shift — and each carries
 * one palette, cycled so every palette is used. 8 × 5 × 6 = 240 templates, all checked by TemplateSchema.
 * The layouts read them as data attributes and CSS custom properties (sites/src/layouts/Base.astro,
 * sites/src/styles/templates.css); a template is data plus the one set of layouts, not a copied file.
 */
import { z } from 'zod';
import { paletteById, type Palette } from './palettes.ts';

export const FAMILIES = {
  'province-portal': { name: '省级门户', kinds: ['province-portal'] },
  'city-portal': { name: '市级门户', kinds: ['city-portal'] },
  'county-portal': { name: '县级门户', kinds: ['county-portal'] },
  department: { name: '部门网站', kinds: ['department'] },
  party: { name: '党委·人大·政协', kinds: ['party-committee', 'discipline-commission', 'people-congress', 'cppcc'] },
  topic: { name: '专题网站', kinds: [] },
  'policy-library': { name: '政策文件库', kinds: [] },
  'mobile-minimal': { name: '移动优先简洁版', kinds: [] },
} as const satisfies Record<string, { name: string; kinds: readonly string[] }>;
export type Family = keyof typeof FAMILIES;

export const HEADERS = {
  'emblem-banner': '徽标横幅',
  'brocade-band': '壮锦纹样带',
  'split-search': '左名称右搜索',
  centered: '居中标题',
  compact: '紧凑单行',
} as const;
export type HeaderStyle = keyof typeof HEADERS;

export const HOMES = {
  'news-first': '要闻优先',
  'services-first': '办事服务优先',
  'policy-first': '政策文件优先',
  magazine: '卡片宫格',
  'two-column': '双栏列表',
  'single-column': '单栏瀑布',
} as const;
export type HomeLayout = keyof typeof HOMES;

/** Palettes fit for a family: party, 人大 and 政协 sites keep to reds and gold; others may use any. */
const FAMILY_PALETTES: Record<Family, readonly string[]> = {
  'province-portal': ['gov-red', 'brocade', 'guangxi-green', 'gov-blue', 'bronze-drum', 'beibu-blue'],
  'city-portal': ['gov-blue', 'guangxi-green', 'lijiang', 'gov-red', 'beibu-blue', 'brocade'],
  'county-portal': ['guangxi-green', 'lijiang', 'bronze-drum', 'gov-blue', 'brocade', 'gov-red'],
  department: ['gov-blue', 'ink', 'beibu-blue', 'lijiang', 'guangxi-green'],
  party: ['party-red', 'congress', 'gov-red', 'brocade'],
  topic: ['brocade', 'bronze-drum', 'lijiang', 'guangxi-green', 'beibu-blue', 'gov-red'],
  'policy-library': ['gov-blue', 'ink', 'gov-red', 'guangxi-green'],
  'mobile-minimal': ['ink', 'gov-blue', 'guangxi-green', 'gov-red', 'lijiang'],
};

const id = z.string().regex(/^[a-z0-9-]+$/);
export const TemplateSchema = z
  .object({
    id,
    name: z.string().min(2),
    family: z.enum(Object.keys(FAMILIES) as [Family, ...Family[]]),
    header: z.enum(Object.keys(HEADERS) as [HeaderStyle, ...HeaderStyle[]]),
    home: z.enum(Object.keys(HOMES) as [HomeLayout, ...HomeLayout[]]),
    palette: id,
  })
  .refine((t) => FAMILY_PALETTES[t.family].includes(t.palette), { path: ['palette'], message: '该配色不适用于这一版式族' })
  .refine((t) => t.id === templateId(t.family, t.header, t.home), { path: ['id'], message: '模板编号须为 版式族-页头-首页布局' });
export type TemplateSpec = z.infer<typeof TemplateSchema>;

/** What the renderer gets: the template with its palette resolved. */
export interface Template extends TemplateSpec {
  colors: Palette['colors'];
  paletteName: string;
  brocade: boolean;
  /** Portal families get the wide portal home; the others the unit home (older layouts still ask). */
  layout: 'portal' | 'unit';
}

export const templateId = (family: Family, header: HeaderStyle, home: HomeLayout) => `${family}-${header}-${home}`;

function build(): Template[] {
  const out: Template[] = [];
  for (const family of Object.keys(FAMILIES) as Family[]) {
    let i = 0;
    for (const header of Object.keys(HEADERS) as HeaderStyle[])
      for (const home of Object.keys(HOMES) as HomeLayout[]) {
        const allowed = FAMILY_PALETTES[family];
        const paletteId = allowed[i++ % allowed.length]!;
        const spec = TemplateSchema.parse({
          id: templateId(family, header, home),
          name: `${FAMILIES[family].name}·${HEADERS[header]}·${HOMES[home]}`,
          family,
          header,
          home,
          palette: paletteId,
        });
        const p = paletteById.get(paletteId)!;
        out.push({ ...spec, colors: p.colors, paletteName: p.name, brocade: p.brocade, layout: family.endsWith('-portal') ? 'portal' : 'unit' });
      }
  }
  return out;
}

export const TEMPLATES: readonly Template[] = build();
export const templateById = new Map(TEMPLATES.map((t) => [t.id, t]));

/**
 * Theme ids stored before templates existed (site rows in a local D1 seeded earlier), read as the template
 * that looks most like what they showed.
 */
const LEGACY: Record<string, string> = {
  'portal-red': templateId('province-portal', 'emblem-banner', 'news-first'),
  'unit-blue': templateId('department', 'split-search', 'two-column'),
  'unit-red': templateId('party', 'centered', 'news-first'),
};

export function templateFor(idOrLegacy: string): Template {
  const t = templateById.get(idOrLegacy) ?? templateById.get(LEGACY[idOrLegacy] ?? '');
  if (!t) throw new Error(`unknown template ${idOrLegacy}`);
  return t;
}

/** Templates a site of this kind may use: its family's, plus the families open to every kind. */
export function templatesForKind(kind: string): Template[] {
  return TEMPLATES.filter((t) => (FAMILIES[t.family].kinds as readonly string[]).includes(kind) || FAMILIES[t.family].kinds.length === 0);
}

/**
 * The template a new site starts with: one of its own family's, picked by a hash of its id so neighbouring
 * sites look different; an admin may switch it at any time.
 */
export function defaultTemplateFor(site: { id: string; kind: string }): string {
  const own = TEMPLATES.filter((t) => (FAMILIES[t.family].kinds as readonly string[]).includes(site.kind));
  let h = 2166136261;
  for (const ch of site.id) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return own[h % own.length]!.id;
}
