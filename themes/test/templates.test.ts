/** The template catalogue: at least 200 distinct declared combinations, every palette AA, every site kind served. */
import { describe, expect, it } from 'vitest';
import { SITE_KINDS } from '@ywtc/cms-schema';
import {
  AA_LARGE,
  AA_TEXT,
  FAMILIES,
  PALETTES,
  TEMPLATES,
  TemplateSchema,
  contrastRatio,
  defaultTemplateFor,
  palettePairs,
  templateFor,
  templatesForKind,
} from '../src/index.ts';

describe('templates', () => {
  it('are at least 200, each a valid declared combination, no two with the same structure', () => {
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(200);
    for (const t of TEMPLATES) TemplateSchema.parse(t);
    const structures = new Set(TEMPLATES.map((t) => `${t.family}|${t.header}|${t.home}`));
    expect(structures.size).toBe(TEMPLATES.length); // distinct by layout, not by colour alone
    expect(new Set(TEMPLATES.map((t) => t.id)).size).toBe(TEMPLATES.length);
    expect(Object.keys(FAMILIES).length).toBeGreaterThanOrEqual(8);
  });

  it('use every palette, and refuse a palette the family does not allow', () => {
    expect(new Set(TEMPLATES.map((t) => t.palette))).toEqual(new Set(PALETTES.map((p) => p.id)));
    const party = TEMPLATES.find((t) => t.family === 'party')!;
    const bad = TemplateSchema.safeParse({ ...party, palette: 'gov-blue' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['palette']);
  });

  it('offer every kind of site templates of its own family, and give each a default among them', () => {
    for (const kind of Object.keys(SITE_KINDS)) {
      const own = templatesForKind(kind).filter((t) => (FAMILIES[t.family].kinds as readonly string[]).includes(kind));
      expect(own.length, kind).toBeGreaterThanOrEqual(30);
      expect(own.map((t) => t.id)).toContain(defaultTemplateFor({ id: `x-${kind}`, kind }));
    }
    expect(templateFor('portal-red').family).toBe('province-portal'); // ids stored before templates existed
    expect(() => templateFor('no-such-template')).toThrow(/unknown template/);
  });
});

describe('WCAG contrast of every palette (all templates use these pairs)', () => {
  it('knows the reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
  for (const p of PALETTES) {
    it(`${p.name} (${p.id}) meets AA for every text/background pair`, () => {
      const failing = palettePairs(p)
        .map(([what, fg, bg, large]) => ({ what, ratio: contrastRatio(fg, bg), need: large ? AA_LARGE : AA_TEXT }))
        .filter((x) => x.ratio < x.need);
      expect(failing.map((f) => `${f.what}: ${f.ratio.toFixed(2)} < ${f.need}`)).toEqual([]);
    });
  }
});
