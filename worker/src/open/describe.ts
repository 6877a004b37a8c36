/**
 * A catalogue entry as the catalogue interface, the portal and the docs show it: everything comes from the
 * entry (cms-schema's OpenInterfaceSchema) and its dataset's zod schemas, so fields and filters are never
 * written twice.
 */
import { z } from 'zod';
import { DATASETS, FORMATS, OPEN_TOPICS, OPEN_TYPES, type OpenInterface } from '@ywtc/cms-schema';
import { QUERIES } from './datasets/index.ts';

export interface FieldInfo {
  name: string;
  type: string;
  description: string;
  nullable: boolean;
}

type JsonSchema = { type?: string | string[]; description?: string; format?: string; enum?: unknown[]; items?: JsonSchema; anyOf?: JsonSchema[] };

const typeLabel = (s: JsonSchema): { type: string; nullable: boolean } => {
  if (s.anyOf) {
    const non = s.anyOf.filter((a) => a.type !== 'null');
    return { type: non.map((a) => typeLabel(a).type).join(' | '), nullable: non.length < s.anyOf.length };
  }
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const nullable = types.includes('null');
  const t = types.find((x) => x !== 'null') ?? (s.enum ? 'string' : 'string');
  const label = t === 'array' ? `array<${typeLabel(s.items ?? {}).type}>` : s.format ? `${t}(${s.format})` : s.enum ? `enum(${s.enum.join('|')})` : t;
  return { type: label, nullable };
};

/** The properties of an object schema as name, type and Chinese description (from `.meta({ description })`). */
export function fieldsOf(schema: z.ZodObject, io: 'input' | 'output' = 'output'): FieldInfo[] {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as { properties?: Record<string, JsonSchema> };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const described = s.description ?? s.anyOf?.find((a) => a.description)?.description ?? '';
    return { name, ...typeLabel(s), description: described };
  });
}

export function catalogueEntry(i: OpenInterface, detailed = false) {
  const d = DATASETS[i.dataset];
  return {
    code: i.code,
    name: i.name,
    description: i.description,
    dataset: i.dataset,
    topic: OPEN_TOPICS[d.topic],
    owner: { site_id: i.ownerSiteId, name: i.ownerName },
    scope: { kind: i.scopeKind, site_id: i.scopeSiteId },
    open_type: i.openType,
    open_type_label: OPEN_TYPES[i.openType],
    condition_reason: i.conditionReason || null,
    update_frequency: d.updateFrequency,
    formats: [...FORMATS],
    incremental_sync: !!QUERIES[i.dataset].sync,
    version: i.version,
    url: `/open/v1/data/${i.code}`,
    ...(detailed ? { fields: fieldsOf(d.record), filters: fieldsOf(d.filters, 'input') } : {}),
  };
}
