/**
 * 严重错误 and 错别字 in what a site publishes: the banned-term list (禁用词, a veto), leader titles written wrong
 * (a veto: the national example of a 严重错别字) and the typo list (易错词, a deduction). Read from the title and
 * body of each document page; one document's text is checked once per run however many sites show it.
 */
import { findWords, type CompiledLists } from '@ywtc/cms-schema';
import { around, type FindingDraft, type SiteInput } from '../types.ts';
import { misspelledTitles } from './leader-titles.ts';

export interface WordHit {
  kind: 'banned-term' | 'severe-typo' | 'typo';
  term: string;
  message: string;
  excerpt: string;
}

/** The hits in one text (each term once). */
export function wordHits(text: string, lists: CompiledLists): WordHit[] {
  const hits: WordHit[] = [];
  for (const { term, at } of findWords(text, lists)) {
    if (term.list === 'banned')
      hits.push({
        kind: 'banned-term',
        term: term.term,
        message: `使用了禁用词“${term.term}”${term.replacement ? `，应写作“${term.replacement}”` : ''}`,
        excerpt: around(text, at, term.term.length),
      });
    else if (term.list === 'typo')
      hits.push({ kind: 'typo', term: term.term, message: `疑似错别字“${term.term}”，应为“${term.replacement}”`, excerpt: around(text, at, term.term.length) });
  }
  for (const m of misspelledTitles(text))
    hits.push({ kind: 'severe-typo', term: m.wrong, message: `领导职务写错：“${m.wrong}”应为“${m.right}”`, excerpt: around(text, m.at, m.wrong.length) });
  return hits;
}

export function words(input: SiteInput): FindingDraft[] {
  const seen = input.wordCache;
  const out: FindingDraft[] = [];
  for (const doc of input.docs) {
    const page = input.pages.get(doc.path);
    if (!page) continue;
    const text = `${page.metas.get('ArticleTitle') ?? page.title}。${page.bodyText || page.mainText}`;
    // One document's text is the same on every site that shows it.
    let hits = seen.get(doc.id);
    if (!hits) seen.set(doc.id, (hits = wordHits(text, input.lists)));
    for (const h of hits) out.push({ kind: h.kind, url: doc.path, target: h.term, message: h.message, excerpt: h.excerpt });
  }
  return out;
}
