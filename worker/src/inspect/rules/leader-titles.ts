/**
 * Leader titles written wrong — the national inspection's example of a 严重错别字 (a veto). The titles are the
 * offices of the Party and state and of Guangxi's region, cities and counties (public, stable; names change, so
 * the check is on titles); a misspelling is a title with one character replaced by one the confusion list
 * (search/src/typo-chars.ts, from real typing errors) says is typed by mistake for it, e.g. 总书记 → 总书纪.
 */
import { confusions } from '@ywtc/search';

export const LEADER_TITLES = [
  '总书记',
  '国家主席',
  '国务院总理',
  '副总理',
  '国务委员',
  '委员长',
  '全国政协主席',
  '中央军委主席',
  '自治区主席',
  '自治区党委书记',
  '自治区人大常委会主任',
  '自治区政协主席',
  '市委书记',
  '县委书记',
  '区委书记',
  '人大常委会主任',
  '纪委书记',
  '常务副市长',
  '常务副县长',
] as const;

let byHead: Map<string, { wrong: string; right: string }[]> | null = null;
/** Every one-character misspelling of every title, keyed by its first two characters (one pass over a text). */
function misspellings(): Map<string, { wrong: string; right: string }[]> {
  if (byHead) return byHead;
  // The confusion list maps wrong → meant; the check needs meant → the characters typed by mistake for it.
  const wrongFor = new Map<string, string[]>();
  for (const [wrong, meant] of confusions()) for (const m of meant) wrongFor.set(m, [...(wrongFor.get(m) ?? []), wrong]);
  const titles = new Set<string>(LEADER_TITLES);
  const table = new Map<string, { wrong: string; right: string }[]>();
  for (const title of LEADER_TITLES)
    [...title].forEach((ch, i) => {
      for (const w of wrongFor.get(ch) ?? []) {
        const wrong = title.slice(0, i) + w + title.slice(i + 1);
        if (titles.has(wrong)) continue;
        const head = wrong.slice(0, 2);
        table.set(head, [...(table.get(head) ?? []), { wrong, right: title }]);
      }
    });
  return (byHead = table);
}

/** Misspelled titles in a text (each once), with where each is. */
export function misspelledTitles(text: string): { wrong: string; right: string; at: number }[] {
  const table = misspellings();
  const out: { wrong: string; right: string; at: number }[] = [];
  const seen = new Set<string>();
  for (let i = 0; i + 1 < text.length; i++) {
    const candidates = table.get(text.slice(i, i + 2));
    if (!candidates) continue;
    for (const c of candidates)
      if (!seen.has(c.wrong) && text.startsWith(c.wrong, i)) {
        seen.add(c.wrong);
        out.push({ ...c, at: i });
      }
  }
  return out;
}

/** Every misspelling the check knows (the evaluation plants some of them). */
export const titleMisspellings = (): { wrong: string; right: string }[] => [...misspellings().values()].flat();
