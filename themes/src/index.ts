/**
 * Templates for the sites of the cluster (templates.ts), their palettes (palettes.ts) and the contrast rules
 * they are held to (contrast.ts). The renderer reads a site's template as data: CSS custom properties for the
 * colours and data attributes for the family, header style and home arrangement.
 */
import { templateFor, type Template } from './templates.ts';

export * from './contrast.ts';
export * from './palettes.ts';
export * from './templates.ts';

/** The site's template, by the id stored on the site (templates.ts LEGACY covers older ids). */
export type Theme = Template;
export const themeFor = templateFor;

export function themeStyle(t: Theme): string {
  return `--c-primary:${t.colors.primary};--c-primary-dark:${t.colors.primaryDark};--c-accent:${t.colors.accent};--c-surface:${t.colors.surface}`;
}

/** The attributes Base.astro puts on <html>, which templates.css keys on. */
export function themeAttributes(t: Theme): Record<string, string> {
  return { 'data-family': t.family, 'data-header': t.header, 'data-home': t.home, 'data-palette': t.palette, ...(t.brocade ? { 'data-brocade': '' } : {}) };
}
