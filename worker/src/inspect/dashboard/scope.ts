/**
 * Whose numbers a reader sees: the sites their grants let them read inspection results of ('inspect.read': a
 * site admin their site and those below, a platform admin every site), narrowed to the chosen site's subtree.
 */
import { can, within, type Grant } from '@ywtc/cms-schema';

export interface SiteRow {
  id: string;
  name: string;
  parentId: string | null;
  sortOrder: number;
}

export interface ScopeSite extends SiteRow {
  /** Levels below the top of the reader's sites, for the indented selector. */
  depth: number;
}

export type ScopeResult = { ok: true; sites: ScopeSite[] } | { ok: false; status: 400 | 403; field: 'site'; message: string };

const parents = (all: readonly SiteRow[]) => {
  const byId = new Map(all.map((s) => [s.id, s]));
  return (id: string) => byId.get(id)?.parentId ?? null;
};

/** The sites the grants read, in registry order with each site directly after its parent (a tree, top to bottom). */
export function readableSites(grants: readonly Grant[], all: readonly SiteRow[]): ScopeSite[] {
  const parentOf = parents(all);
  const allowed = all.filter((s) => can(grants, 'inspect.read', { siteId: s.id }, parentOf));
  const allowedIds = new Set(allowed.map((s) => s.id));
  const depthOf = (s: SiteRow) => {
    let d = 0;
    for (let p = s.parentId, hops = 0; p && hops < 16; p = parentOf(p), hops++) if (allowedIds.has(p)) d++;
    return d;
  };
  const children = new Map<string | null, SiteRow[]>();
  for (const s of allowed) {
    const key = s.parentId && allowedIds.has(s.parentId) ? s.parentId : null;
    children.set(key, [...(children.get(key) ?? []), s]);
  }
  const order = (a: SiteRow, b: SiteRow) => a.sortOrder - b.sortOrder || (a.id < b.id ? -1 : 1);
  const out: ScopeSite[] = [];
  const walk = (key: string | null) => {
    for (const s of (children.get(key) ?? []).sort(order)) {
      out.push({ ...s, depth: depthOf(s) });
      walk(s.id);
    }
  };
  walk(null);
  return out;
}

/** The chosen site and those below it, among the readable ones; every readable site when none is chosen. */
export function scopeOf(readable: readonly ScopeSite[], all: readonly SiteRow[], wanted: string | null): ScopeResult {
  if (wanted === null) return { ok: true, sites: [...readable] };
  if (!all.some((s) => s.id === wanted)) return { ok: false, status: 400, field: 'site', message: `网站：没有编号为“${wanted}”的网站` };
  if (!readable.some((s) => s.id === wanted))
    return { ok: false, status: 403, field: 'site', message: '您无权查看这个网站的统计（只能查看本单位及下级单位的网站）。' };
  const parentOf = parents(all);
  return { ok: true, sites: readable.filter((s) => within(s.id, wanted, parentOf)) };
}
