/**
 * What a search that found nothing can offer instead (no-results.ts), each tried before it is offered: the
 * query without its place names and question words, then one word shorter from either end; the same query on
 * every site; the same query without filters. At most five small searches, and only when nothing was found.
 */
import type { SearchBackend, SearchParams } from '@ywtc/search';

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
/** Words a search can do without: question and filler words, and place names (the reader's place ranks first anyway). */
const FILLER = /^(什么|哪些|有哪些|怎么|怎样|如何|是否|可以|多少|哪里|吗|呢|的|了|请问|我|我们|想|要|能|在|办|关于)$/;
const PLACE = /^[\u4e00-\u9fa5]{1,6}(省|自治区|市|县|区|镇|乡)$/;

/** Shorter forms of a query, best first: fewer words that still say what it is about. */
export function broaderForms(q: string): string[] {
  const words = [...segmenter.segment(q.trim())].filter((s) => s.isWordLike).map((s) => s.segment);
  const kept = words.filter((w) => !FILLER.test(w) && !PLACE.test(w));
  const forms = [kept.join(''), kept.slice(0, -1).join(''), kept.slice(1).join('')];
  return [...new Set(forms)].filter((f) => [...f].length >= 2 && f !== q.trim());
}

const probe = async (backend: SearchBackend, params: SearchParams) => (await backend.search({ ...params, page: 1, size: 1 })).total;

export async function broaderQuery(backend: SearchBackend, params: SearchParams): Promise<{ q: string; total: number } | null> {
  for (const q of broaderForms(params.q)) {
    const total = await probe(backend, { ...params, q });
    if (total > 0) return { q, total };
  }
  return null;
}

/** The query on every site, when a site's own search found nothing. */
export function allSitesTotal(backend: SearchBackend, params: SearchParams): Promise<number> {
  const wide = { ...params };
  delete wide.site;
  return probe(backend, wide);
}

/** The query without filters, when filters were set. */
export function unfilteredParams(params: SearchParams): SearchParams | null {
  const keys = ['kind', 'validity', 'year', 'issuer', 'column', 'level', 'region'] as const;
  if (!keys.some((k) => params[k] !== undefined)) return null;
  const plain = { ...params };
  for (const k of keys) delete plain[k];
  return plain;
}
