/**
 * What a rule sees of one site, and what it returns. Rules are pure functions of this input (unit-tested with
 * hand-made pages); the engine (run.ts) gathers the input from R2 and D1 and turns drafts into stored findings.
 */
import type { Column, CompiledLists, FindingKind, Schedule, Site } from '@ywtc/cms-schema';
import type { PageFacts } from './page.ts';

/** A document shown on the site: where, and what the content store says about it. */
export interface PlacedDoc {
  id: string;
  kind: string;
  title: string;
  publishedAt: string;
  columnId: string;
  ownerSiteId: string;
  issuer: string | null;
  /** The path of its page on this site: /<column slug>/<id>.html. */
  path: string;
  hasInterpretation: boolean;
}

export interface SiteInput {
  site: Site;
  columns: Column[];
  docs: PlacedDoc[];
  /** The run's "now": freshness is judged against it. */
  now: Date;
  schedule: Schedule;
  /** The pages inspected in this run, parsed, by path (/index.html, /yw/index.html, /yw/x.html …). */
  pages: Map<string, PageFacts>;
  /** Every path of the live manifest (a link to anything else on the site is broken). */
  manifest: ReadonlySet<string>;
  lists: CompiledLists;
  /** Word-list hits of each document's text, shared by the sites of one run (a document is read once). */
  wordCache: Map<string, { kind: 'banned-term' | 'severe-typo' | 'typo'; term: string; message: string; excerpt: string }[]>;
  /** 留言 of the site not answered within the national limit (CONSULT_LIMITS.overdueDays). */
  overdueConsults: { id: string; title: string; receivedAt: string }[];
  /** The publish time each of the site's documents had when the inspector first saw it. */
  seen: ReadonlyMap<string, string>;
}

export interface FindingDraft {
  kind: FindingKind;
  url: string;
  target: string;
  message: string;
  excerpt: string;
}

export type Rule = (input: SiteInput) => FindingDraft[];

/** `text` around position `at`, for a finding's excerpt. */
export function around(text: string, at: number, length: number, pad = 24): string {
  const from = Math.max(0, at - pad);
  const to = Math.min(text.length, at + length + pad);
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
}

/** Path of a column's first list page on a site. */
export const columnListPath = (slug: string) => `/${slug}/index.html`;
