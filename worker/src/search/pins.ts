/**
 * Best bets: documents admins pin for a query come first on page 1 of its results, marked 'pinned', and are
 * taken out of the rest of the results (on every page, so a pinned document shows exactly once). Pins sit above
 * the SearchBackend interface and keep a snapshot of what a hit shows, so they work the same over the D1 index
 * and Meilisearch, and even when the backend does not find the pinned document for that query.
 */
import { cstYear, escapeHtml } from '@ywtc/cms-schema';
import { placementRef, type DocumentFacts, type PlacementRef, type SearchHit, type SearchParams, type SearchResult } from '@ywtc/search';
import type { Env } from '../env.ts';
import { searchBackend } from './backend.ts';
import { normalizeQuery } from './analytics.ts';

/** More than a handful of “best” bets pushes the actual results off the first screen. */
export const MAX_PINS_PER_QUERY = 5;

export interface Pin extends DocumentFacts {
  query: string;
  documentId: string;
  position: number;
  placements: Partial<PlacementRef>[];
}
/** What a pin stores of its document. */
export type PinSnapshot = Omit<Pin, 'query' | 'position'>;

interface PinRow {
  query: string;
  document_id: string;
  position: number;
  title: string;
  doc_number: string | null;
  kind: string;
  issuer: string | null;
  validity: string | null;
  published_at: string;
  summary: string;
  placements: string;
}
const PIN_COLUMNS = 'query, document_id, position, title, doc_number, kind, issuer, validity, published_at, summary, placements';
const toPin = (r: PinRow): Pin => ({
  query: r.query,
  documentId: r.document_id,
  position: r.position,
  title: r.title,
  docNumber: r.doc_number,
  kind: r.kind,
  issuer: r.issuer,
  validity: r.validity,
  publishedAt: r.published_at,
  summary: r.summary,
  placements: JSON.parse(r.placements) as Pin['placements'],
});

/**
 * All pins by query, kept for a minute per isolate: pins are few and change rarely, and a D1 round trip per
 * search for them cost as much as a query plan. Changes made through this isolate show at once; elsewhere
 * within the minute, like the synonyms.
 */
const PIN_TTL_MS = 60_000;
let pinCache: { byQuery: Map<string, Pin[]>; until: number } | null = null;
export const invalidatePins = () => {
  pinCache = null;
};

/** The pins of one normalized query, in order. */
export async function pinsFor(db: D1Database, query: string, now = Date.now()): Promise<Pin[]> {
  if (!query) return [];
  if (!pinCache || pinCache.until <= now) {
    const byQuery = new Map<string, Pin[]>();
    for (const pin of await allPins(db)) byQuery.set(pin.query, [...(byQuery.get(pin.query) ?? []), pin]);
    for (const list of byQuery.values()) list.sort((a, b) => a.position - b.position || a.documentId.localeCompare(b.documentId));
    pinCache = { byQuery, until: now + PIN_TTL_MS };
  }
  return pinCache.byQuery.get(query) ?? [];
}

/** Every pin, grouped by query in alphabetical order (for the admin page). */
export async function allPins(db: D1Database): Promise<Pin[]> {
  const { results } = await db.prepare(`SELECT ${PIN_COLUMNS} FROM search_pins ORDER BY query, position, document_id`).all<PinRow>();
  return results.map(toPin);
}

/** Appends a pin after the query's existing ones; pinning a document twice keeps the first pin. For the caller's batch (with its audit entry); call `invalidatePins` after. */
export function addPinStatement(db: D1Database, query: string, doc: PinSnapshot): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO search_pins (${PIN_COLUMNS})
     VALUES (?1, ?2, (SELECT coalesce(max(position) + 1, 0) FROM search_pins WHERE query = ?1), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
     ON CONFLICT (query, document_id) DO NOTHING`,
    )
    .bind(query, doc.documentId, doc.title, doc.docNumber, doc.kind, doc.issuer, doc.validity, doc.publishedAt, doc.summary, JSON.stringify(doc.placements));
}

/** Removes one pin (none there: nothing happens), for the caller's batch. */
export const removePinStatement = (db: D1Database, query: string, documentId: string): D1PreparedStatement =>
  db.prepare('DELETE FROM search_pins WHERE query = ? AND document_id = ?').bind(query, documentId);

interface DocRow {
  id: string;
  title: string;
  doc_number: string | null;
  kind: string;
  issuer: string | null;
  validity: string | null;
  published_at: string;
  summary: string;
}
interface PlacedRow {
  site_id: string;
  site_kind: PlacementRef['siteKind'] & string;
  division_code: string;
  slug: string;
  column_kind: PlacementRef['columnKind'] & string;
}

/**
 * What a pin of `id` should show, or null when no such document is searchable: from the content store (with the
 * facts the filters use for every site that shows it), else from the search index (documents indexed without
 * being in the content store, e.g. loaded through the publishing API).
 */
export async function snapshotOf(db: D1Database, id: string): Promise<PinSnapshot | null> {
  const [doc, placed, indexed] = await db.batch([
    db.prepare('SELECT id, title, doc_number, kind, issuer, validity, published_at, summary FROM documents WHERE id = ?').bind(id),
    db
      .prepare(
        `SELECT p.site_id, s.kind AS site_kind, s.division_code, c.slug, c.kind AS column_kind
       FROM placements p JOIN sites s ON s.id = p.site_id JOIN columns c ON c.id = p.column_id WHERE p.document_id = ? ORDER BY s.sort_order`,
      )
      .bind(id),
    db
      .prepare('SELECT document_id AS id, title, doc_number, kind, issuer, validity, published_at, summary, placements FROM search_docs WHERE document_id = ?')
      .bind(id),
  ]);
  const d = (doc!.results as DocRow[])[0];
  const places = placed!.results as PlacedRow[];
  const fields = (r: DocRow) => ({
    documentId: r.id,
    title: r.title,
    docNumber: r.doc_number,
    kind: r.kind,
    issuer: r.issuer,
    validity: r.validity,
    publishedAt: r.published_at,
    summary: r.summary,
  });
  if (d && places.length) {
    return {
      ...fields(d),
      placements: places.map((p) =>
        placementRef({ id: p.site_id, kind: p.site_kind, divisionCode: p.division_code }, { slug: p.slug, kind: p.column_kind }, id),
      ),
    };
  }
  const i = (indexed!.results as (DocRow & { placements: string })[])[0];
  return i ? { ...fields(i), placements: JSON.parse(i.placements) as Pin['placements'] } : null;
}

/** Whether a pin's document passes the request's filters, judged from its snapshot (unknown facts do not pass). */
export function pinMatches(pin: Pin, p: SearchParams): boolean {
  if (p.kind && pin.kind !== p.kind) return false;
  if (p.validity && pin.validity !== p.validity) return false;
  if (p.year && cstYear(pin.publishedAt) !== p.year) return false;
  if (p.issuer && !(pin.issuer ?? '').includes(p.issuer)) return false;
  // Site, column kind, level and region must hold on one and the same placement, as the backends filter them.
  return pin.placements.some(
    (pl) =>
      (!p.site || pl.siteId === p.site) &&
      (!p.column || pl.columnKind === p.column) &&
      (!p.level || pl.level === p.level) &&
      (!p.region || (pl.region ?? '').startsWith(p.region)),
  );
}

const hitOf = (pin: Pin): SearchHit => ({
  id: pin.documentId,
  title: pin.title,
  docNumber: pin.docNumber,
  kind: pin.kind,
  issuer: pin.issuer,
  validity: pin.validity,
  publishedAt: pin.publishedAt,
  summary: pin.summary,
  placements: pin.placements.flatMap((pl) => (pl.siteId && pl.path ? [{ siteId: pl.siteId, path: pl.path }] : [])),
  match: 'pinned',
  snippet: escapeHtml(pin.summary),
  related: [],
});

/**
 * The backend's result with the pins put in: first on page 1, removed elsewhere. A pinned document the backend
 * found on page 1 keeps the backend's hit (its snippet and related documents); one it did not find there adds
 * one to the total.
 */
export function applyPins(result: SearchResult, pins: readonly Pin[], params: SearchParams): SearchResult {
  const eligible = pins.filter((pin) => pinMatches(pin, params) && pin.placements.some((pl) => pl.siteId && pl.path));
  if (eligible.length === 0) return result;
  const ids = new Set(eligible.map((pin) => pin.documentId));
  const rest = result.hits.filter((h) => !ids.has(h.id));
  if (params.page !== 1) return { ...result, hits: rest };
  const found = new Map(result.hits.map((h) => [h.id, h]));
  const pinned = eligible.map((pin): SearchHit => ({ ...(found.get(pin.documentId) ?? hitOf(pin)), match: 'pinned' }));
  const added = eligible.filter((pin) => !found.has(pin.documentId)).length;
  return { ...result, total: result.total + added, hits: [...pinned, ...rest] };
}

/** Search with best bets: the one function both /search and /search.json call. */
export async function searchWithPins(env: Env, params: SearchParams): Promise<SearchResult> {
  const [result, pins] = await Promise.all([
    searchBackend(env).search(params),
    // Best bets are an addition: if they cannot be read, the plain results are still the answer.
    pinsFor(env.DB, normalizeQuery(params.q)).catch((err: unknown) => {
      console.error('search pins unavailable', err);
      return [] as Pin[];
    }),
  ]);
  return applyPins(result, pins, params);
}
