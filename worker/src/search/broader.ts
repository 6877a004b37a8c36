/**
 * What a search that found nothing can offer instead (no-results.ts), each tried before it is offered: the
 * query without its place names and question words, then one word shorter from either end; the same query on
 * every site; the same query without filters. At most five small searches, and only when nothing was found.
 */
import type { SearchBackend, SearchParams } from '@ywtc/search';

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
/** Question and filler words a search can do without. */
const FILLER = /^(什么|哪些|有哪些|怎么|怎样|如何|是否|可以|多少|哪里|请问|我们|关于|需要|了|的|吗|呢|啊|吧|是|有|在|我|要|想|能)$/;
/** A place opening the query (南宁市…, 兴宁区…): the reader's own place ranks first anyway. */
const LEADING_PLACE = /^(?:[\u4e00-\u9fa5]{2,5}?(?:自治区|省|市|县|区))+/;

/**
 * The query's words without place and question words. The segmenter cuts some terms into characters
 * (公|积|金, 养老|金): a character is joined to the word before it, so 住房公积金 stays one piece.
 */
function wordsOf(text: string): string[] {
  const chunks: string[] = [];
  let glue = false;
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (!isWordLike || FILLER.test(segment)) {
      glue = false;
      continue;
    }
    if ([...segment].length === 1 && glue && chunks.length) chunks[chunks.length - 1] += segment;
    else chunks.push(segment);
    glue = true;
  }
  return chunks.filter((w) => [...w].length >= 2);
}

/** Shorter forms of a query, best first: its words without place and question words, then one fewer from either end. */
export function broaderForms(q: string): string[] {
  const words = wordsOf(q.trim().replace(LEADING_PLACE, ''));
  const forms = [words.join(''), words.slice(0, -1).join(''), words.slice(1).join('')];
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
