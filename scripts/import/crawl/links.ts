/**
 * The pages a page leads to: its links and frames, plus the list pages TRS WCM only names in script — its list
 * templates write `createPageHTML(10, 0, "index", "html")`, which a browser turns into index_1.html … index_9.html.
 */
import { all, type Document } from './dom.ts';
import { baseUrlOf } from './extract.ts';
import { normalizeUrl } from './url.ts';

export function pageLinks(doc: Document, pageUrl: string): string[] {
  const base = baseUrlOf(doc, pageUrl);
  const out = new Set<string>();
  for (const el of all('a[href], area[href], frame[src], iframe[src]', doc)) {
    const v = el.attribs.href ?? el.attribs.src!;
    if (/^\s*(javascript:|mailto:|tel:|data:|#)/i.test(v)) continue;
    const u = normalizeUrl(v, base);
    if (u) out.add(u);
  }
  for (const script of all('script', doc)) {
    const text = script.children.map((c) => ('data' in c ? c.data : '')).join('');
    for (const m of text.matchAll(/createPageHTML\(\s*['"]?(\d+)['"]?\s*,\s*['"]?\d+['"]?\s*,\s*['"]([\w-]+)['"]\s*,\s*['"](\w+)['"]/g)) {
      const count = Math.min(Number(m[1]), 2000);
      for (let i = 1; i < count; i++) {
        const u = normalizeUrl(`${m[2]!}_${i}.${m[3]!}`, base);
        if (u) out.add(u);
      }
    }
  }
  return [...out];
}
