import type { z } from 'zod';
import { SiteHostSchema, SiteSchema } from './site.ts';
import { ColumnSchema } from './column.ts';
import { DocumentSchema, InterpretationLinkSchema, PlacementSchema, ReferenceDocumentSchema } from './document.ts';
import { QaEntrySchema } from './qa.ts';
import { AccountSchema, GrantSchema } from './account.ts';
import { AuditEntrySchema } from './audit.ts';
import { CmsDocumentSchema, RevisionSchema, ShareSchema, TransitionSchema } from './cms-document.ts';
import { CheckTermSchema } from './checks.ts';
import { RenderTaskSchema, SearchTaskSchema } from './publication.ts';
import { OpenInterfaceSchema } from './open/catalogue.ts';
import { ApiKeySchema, OpenAccountSchema, OpenApplicationSchema, OpenUnitSchema, OpenUsageSchema } from './open/units.ts';
import { DocumentTagSchema } from './personal/tags.ts';
import { HotOverrideSchema, PageViewDaySchema } from './personal/hot.ts';
import { ConsultContactSchema, ConsultMessageSchema } from './consult.ts';
import { FindingSchema, InspectionRunSchema, InspectionSkipSchema, RectificationSchema, SiteScoreSchema } from './inspection.ts';

/**
 * D1 rows are derived from the zod schemas, never declared twice: each field becomes a snake_case column;
 * strings → TEXT, integers → INTEGER, booleans → INTEGER 0/1, arrays and objects → TEXT holding JSON;
 * nullable fields → NULL-able columns. The migrations are written by hand (reviewable SQL), and a test
 * applies them to a real D1 and checks every table against `columnsOf` below.
 */
export type SqlType = 'TEXT' | 'INTEGER' | 'REAL';
export interface ColumnSpec {
  field: string;
  name: string;
  type: SqlType;
  nullable: boolean;
  json: boolean;
  bool: boolean;
}

type AnySchema = z.ZodType & { _zod: { def: { type: string; innerType?: AnySchema; in?: AnySchema } } };

function describe(field: string, schema: AnySchema): ColumnSpec {
  let s = schema;
  let nullable = false;
  for (;;) {
    const def = s._zod.def;
    if (def.type === 'nullable' || def.type === 'optional') nullable = true;
    if ((def.type === 'nullable' || def.type === 'optional' || def.type === 'default') && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else break;
  }
  const t = s._zod.def.type;
  const name = field.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
  const base = { field, name, nullable, json: false, bool: false };
  if (t === 'string' || t === 'enum' || t === 'literal') return { ...base, type: 'TEXT' };
  if (t === 'boolean') return { ...base, type: 'INTEGER', bool: true };
  if (t === 'number') {
    const isInt = (s as unknown as { isInt?: boolean }).isInt ?? (s as unknown as { format?: string }).format?.includes('int');
    return { ...base, type: isInt ? 'INTEGER' : 'REAL' };
  }
  if (t === 'array' || t === 'object' || t === 'record') return { ...base, type: 'TEXT', json: true };
  throw new Error(`table mapping: field ${field} has zod type ${t}, which has no D1 column mapping`);
}

export interface TableSpec<S extends z.ZodObject = z.ZodObject> {
  name: string;
  schema: S;
  primaryKey: readonly string[];
}

const columnCache = new WeakMap<object, ColumnSpec[]>();
export function columnsOf(spec: TableSpec): ColumnSpec[] {
  let cols = columnCache.get(spec);
  if (!cols) {
    cols = Object.entries(spec.schema.shape).map(([field, s]) => describe(field, s as AnySchema));
    columnCache.set(spec, cols);
  }
  return cols;
}

export type SqlValue = string | number | null;

export function toRow<S extends z.ZodObject>(spec: TableSpec<S>, value: z.infer<S>): SqlValue[] {
  const v = value as Record<string, unknown>;
  return columnsOf(spec).map((c) => {
    const x = v[c.field];
    if (x === undefined || x === null) return null;
    if (c.json) return JSON.stringify(x);
    if (c.bool) return x ? 1 : 0;
    return x as string | number;
  });
}

/** Rows come from our own store, already validated on the way in, so they are decoded, not re-parsed. */
export function fromRow<S extends z.ZodObject>(spec: TableSpec<S>, row: Record<string, unknown>): z.infer<S> {
  const out: Record<string, unknown> = {};
  for (const c of columnsOf(spec)) {
    const x = row[c.name];
    out[c.field] = x === null || x === undefined ? null : c.json ? JSON.parse(x as string) : c.bool ? x === 1 : x;
  }
  return out as z.infer<S>;
}

export function insertSql(spec: TableSpec, verb: 'INSERT' | 'INSERT OR REPLACE' = 'INSERT'): string {
  const cols = columnsOf(spec);
  return `${verb} INTO ${spec.name} (${cols.map((c) => c.name).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
}

export function selectColumns(spec: TableSpec, alias?: string): string {
  return columnsOf(spec)
    .map((c) => (alias ? `${alias}.${c.name}` : c.name))
    .join(', ');
}

export const TABLES = {
  sites: { name: 'sites', schema: SiteSchema, primaryKey: ['id'] },
  siteHosts: { name: 'site_hosts', schema: SiteHostSchema, primaryKey: ['host'] },
  columns: { name: 'columns', schema: ColumnSchema, primaryKey: ['id'] },
  documents: { name: 'documents', schema: DocumentSchema, primaryKey: ['id'] },
  placements: { name: 'placements', schema: PlacementSchema, primaryKey: ['document_id', 'site_id'] },
  referenceDocuments: { name: 'reference_documents', schema: ReferenceDocumentSchema, primaryKey: ['document_id'] },
  interpretationLinks: { name: 'interpretation_links', schema: InterpretationLinkSchema, primaryKey: ['policy_id', 'interpretation_id'] },
  qaEntries: { name: 'qa_entries', schema: QaEntrySchema, primaryKey: ['id'] },
  accounts: { name: 'accounts', schema: AccountSchema, primaryKey: ['id'] },
  grants: { name: 'grants', schema: GrantSchema, primaryKey: ['id'] },
  auditLog: { name: 'audit_log', schema: AuditEntrySchema, primaryKey: ['seq'] },
  cmsDocuments: { name: 'cms_documents', schema: CmsDocumentSchema, primaryKey: ['id'] },
  revisions: { name: 'cms_revisions', schema: RevisionSchema, primaryKey: ['document_id', 'revision'] },
  transitions: { name: 'cms_transitions', schema: TransitionSchema, primaryKey: ['seq'] },
  checkTerms: { name: 'check_terms', schema: CheckTermSchema, primaryKey: ['list', 'term'] },
  shares: { name: 'cms_shares', schema: ShareSchema, primaryKey: ['document_id', 'site_id'] },
  renderQueue: { name: 'render_queue', schema: RenderTaskSchema, primaryKey: ['seq'] },
  searchQueue: { name: 'search_queue', schema: SearchTaskSchema, primaryKey: ['seq'] },
  openInterfaces: { name: 'open_interfaces', schema: OpenInterfaceSchema, primaryKey: ['code'] },
  openUnits: { name: 'open_units', schema: OpenUnitSchema, primaryKey: ['id'] },
  openAccounts: { name: 'open_accounts', schema: OpenAccountSchema, primaryKey: ['id'] },
  openApplications: { name: 'open_applications', schema: OpenApplicationSchema, primaryKey: ['id'] },
  openKeys: { name: 'open_keys', schema: ApiKeySchema, primaryKey: ['id'] },
  openUsage: { name: 'open_usage', schema: OpenUsageSchema, primaryKey: ['day', 'unit_id', 'code'] },
  documentTags: { name: 'document_tags', schema: DocumentTagSchema, primaryKey: ['document_id', 'interest'] },
  pageViews: { name: 'page_view_days', schema: PageViewDaySchema, primaryKey: ['day', 'site_id', 'document_id'] },
  hotOverrides: { name: 'hot_overrides', schema: HotOverrideSchema, primaryKey: ['site_id', 'document_id'] },
  consultMessages: { name: 'consult_messages', schema: ConsultMessageSchema, primaryKey: ['id'] },
  consultContacts: { name: 'consult_contacts', schema: ConsultContactSchema, primaryKey: ['message_id'] },
  inspectionRuns: { name: 'inspection_runs', schema: InspectionRunSchema, primaryKey: ['id'] },
  inspectionFindings: { name: 'inspection_findings', schema: FindingSchema, primaryKey: ['run_id', 'fingerprint'] },
  inspectionScores: { name: 'inspection_scores', schema: SiteScoreSchema, primaryKey: ['run_id', 'site_id'] },
  inspectionSkips: { name: 'inspection_skips', schema: InspectionSkipSchema, primaryKey: ['run_id', 'site_id', 'url'] },
  rectifications: { name: 'rectifications', schema: RectificationSchema, primaryKey: ['id'] },
} as const satisfies Record<string, TableSpec>;
