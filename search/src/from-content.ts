/** A content-store document as the search index sees it, with where each site shows it. */
import { documentPath, htmlToText, type Column, type Document, type InterpretationLink, type Placement, type Site } from '@ywtc/cms-schema';
import type { PlacementRef, SearchDocument } from './schema.ts';
import { documentArea } from './area.ts';

/** 自治区级 for 450000 (and the region's own departments), 市级 for 4501 00, 县级 otherwise. */
export function levelOf(divisionCode: string): PlacementRef['level'] {
  if (/^\d{2}0000$/.test(divisionCode)) return 'province';
  if (/^\d{4}00$/.test(divisionCode)) return 'city';
  return 'county';
}
/** The city a division belongs to (4 digits), or the region (2 digits) for region-level sites. */
export const regionOf = (divisionCode: string) => (levelOf(divisionCode) === 'province' ? divisionCode.slice(0, 2) : divisionCode.slice(0, 4));

export function placementRef(site: Pick<Site, 'id' | 'kind' | 'divisionCode'>, column: Pick<Column, 'slug' | 'kind'>, documentId: string): PlacementRef {
  return {
    siteId: site.id,
    path: documentPath(column.slug, documentId),
    columnKind: column.kind,
    siteKind: site.kind,
    level: levelOf(site.divisionCode),
    region: regionOf(site.divisionCode),
  };
}

export function toSearchDocument(doc: Document, placements: PlacementRef[], interprets: string[] = []): SearchDocument {
  return {
    id: doc.id,
    title: doc.title,
    docNumber: doc.docNumber,
    keywords: [...doc.keywords, ...doc.subjectWords].slice(0, 30),
    body: htmlToText(doc.bodyHtml),
    summary: doc.summary.slice(0, 500),
    kind: doc.kind,
    issuer: doc.issuer,
    validity: doc.validity,
    publishedAt: doc.publishedAt,
    placements,
    interprets,
    area: documentArea(doc),
  };
}

/**
 * Every placed document of a content set with its placements and the policies it interprets, and the documents of
 * the reference corpus (other provinces', on no site) without a placement: the cluster's search finds them, labelled
 * by their 地区; a site's search, which filters on its placements, never does. Any other unplaced document is
 * withdrawn and left out.
 */
export function searchDocumentsOf(content: {
  sites: readonly Site[];
  columns: readonly Column[];
  documents: readonly Document[];
  placements: readonly Placement[];
  links: readonly InterpretationLink[];
  /** Ids of the reference corpus (cms-schema ReferenceDocumentSchema). */
  reference?: readonly string[];
}): SearchDocument[] {
  const sites = new Map(content.sites.map((s) => [s.id, s]));
  const columns = new Map(content.columns.map((c) => [c.id, c]));
  const placed = new Map<string, PlacementRef[]>();
  for (const p of content.placements) {
    const list = placed.get(p.documentId) ?? [];
    list.push(placementRef(sites.get(p.siteId)!, columns.get(p.columnId)!, p.documentId));
    placed.set(p.documentId, list);
  }
  const interprets = new Map<string, string[]>();
  for (const l of content.links) interprets.set(l.interpretationId, [...(interprets.get(l.interpretationId) ?? []), l.policyId]);
  for (const id of content.reference ?? []) if (!placed.has(id)) placed.set(id, []);
  return content.documents.filter((d) => placed.has(d.id)).map((d) => toSearchDocument(d, placed.get(d.id)!, interprets.get(d.id) ?? []));
}
