/**
 * The OpenAPI 3.1 document of every interface, generated from the catalogue (open_interfaces) and the zod
 * schemas of cms-schema (z.toJSONSchema, whose JSON Schema 2020-12 is OpenAPI 3.1's own): the record of each
 * dataset, its filters, the common parameters, the envelope and the problems. Nothing here is written by hand
 * twice; the test suite lints the result with @redocly/cli.
 */
import { z } from 'zod';
import {
  CommonQuerySchema,
  DATASETS,
  OPEN_TOPICS,
  OPEN_TYPES,
  PROBLEM_MEDIA_TYPE,
  ProblemSchema,
  TombstoneSchema,
  envelopeSchema,
  type DatasetKey,
  type OpenInterface,
} from '@ywtc/cms-schema';
import { QUERIES } from './datasets/index.ts';
import { PROBLEM_TYPES } from './problem.ts';

type Json = Record<string, unknown>;
const schemaOf = (s: z.ZodType, io: 'input' | 'output' = 'output') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return rest;
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const recordName = (d: DatasetKey) => `Record_${d.replace(/-/g, '_')}`;
const envelopeName = (d: DatasetKey) => `Envelope_${d.replace(/-/g, '_')}`;

/** Query parameters from an object schema: each property with its description, schema and default. */
function parametersOf(schema: z.ZodObject): Json[] {
  const json = schemaOf(schema, 'input') as { properties?: Record<string, Json> };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: 'query', required: false, description: (description as string | undefined) ?? name, schema: rest };
  });
}

const problemResponse = (description: string, types: (keyof typeof PROBLEM_TYPES)[]) => ({
  description: `${description}（${types.map((t) => PROBLEM_TYPES[t]).join('、')}）`,
  content: { [PROBLEM_MEDIA_TYPE.split(';')[0]!]: { schema: ref('Problem') } },
});

function dataOperation(i: OpenInterface): Json {
  const d = DATASETS[i.dataset];
  const sync = !!QUERIES[i.dataset].sync;
  const common = parametersOf(CommonQuerySchema).filter((p) => sync || p.name !== 'since');
  return {
    get: {
      operationId: `get_${i.code.replace(/-/g, '_')}`,
      summary: i.name,
      description: [
        d.description,
        `数据提供单位：${i.ownerName}。开放类型：${OPEN_TYPES[i.openType]}${i.conditionReason ? `（${i.conditionReason}）` : ''}。更新频率：${d.updateFrequency}。`,
        sync ? '支持 since 增量同步（含撤下、删除记录的 deleted 列表）。' : '统计类数据，不支持增量同步。',
      ].join('\n\n'),
      tags: [OPEN_TOPICS[d.topic]],
      security: [{ ApiKey: [] }],
      parameters: [...common, ...parametersOf(d.filters)],
      responses: {
        '200': {
          description: '本页数据',
          headers: {
            ETag: { description: '响应内容的实体标签；带 If-None-Match 再次请求，未变化时返回 304', schema: { type: 'string' } },
            RateLimit: { description: '当日剩余调用次数（r）和距北京时间零点的秒数（t）', schema: { type: 'string' } },
            'RateLimit-Policy': { description: '当日调用量（q）', schema: { type: 'string' } },
          },
          content: {
            'application/json': { schema: ref(envelopeName(i.dataset)) },
            'text/csv': { schema: { type: 'string', description: 'UTF-8（带 BOM）CSV，首行为字段名' } },
            'application/xml': { schema: { type: 'string', description: '与 JSON 相同的信封结构，根元素 response' } },
          },
        },
        '304': { description: '内容未变化（If-None-Match 与 ETag 相同）' },
        '400': problemResponse('参数不正确', ['invalid-parameter', 'key-in-query']),
        '401': problemResponse('密钥缺失或无效', ['unauthenticated', 'key-revoked', 'key-expired', 'unit-suspended']),
        '403': problemResponse('未获授权', ['forbidden', 'grant-expired']),
        '404': problemResponse('接口不存在', ['not-found']),
        ...(sync ? { '410': problemResponse('增量同步起点过早', ['since-too-old']) } : {}),
        '429': {
          ...problemResponse('超过调用限制', ['rate-limited', 'quota-exhausted']),
          headers: { 'Retry-After': { description: '可再次调用前需等待的秒数', schema: { type: 'integer' } } },
        },
      },
    },
  };
}

export function openApiDocument(interfaces: readonly OpenInterface[], origin: string): Json {
  const used = [...new Set(interfaces.map((i) => i.dataset))];
  const schemas: Json = { Problem: schemaOf(ProblemSchema), Tombstone: schemaOf(TombstoneSchema) };
  for (const d of used) {
    schemas[recordName(d)] = { ...schemaOf(DATASETS[d].record), description: `${DATASETS[d].label}的一条记录` };
    // The envelope refers to the record schema (and the tombstone) rather than repeating them.
    const env = schemaOf(envelopeSchema(DATASETS[d].record)) as { properties: Record<string, Json> };
    env.properties.data = { ...env.properties.data, items: ref(recordName(d)) };
    env.properties.deleted = { ...env.properties.deleted, items: ref('Tombstone') };
    schemas[envelopeName(d)] = env;
  }
  const entry = {
    type: 'object',
    description: '开放目录中的一个接口',
    properties: {
      code: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      open_type: { type: 'string', enum: Object.keys(OPEN_TYPES) },
      url: { type: 'string' },
    },
    required: ['code', 'name', 'description', 'open_type', 'url'],
  };
  schemas.CatalogueEntry = entry;
  const paths: Json = {
    '/open/v1/interfaces': {
      get: {
        operationId: 'listInterfaces',
        summary: '开放目录',
        description: '全部开放接口的目录，无须密钥。',
        tags: ['开放目录'],
        security: [],
        responses: {
          '200': {
            description: '开放目录',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { total: { type: 'integer' }, data: { type: 'array', items: ref('CatalogueEntry') } } },
              },
            },
          },
          '400': problemResponse('参数不正确', ['invalid-parameter']),
        },
      },
    },
    '/open/v1/interfaces/{code}': {
      get: {
        operationId: 'getInterface',
        summary: '接口说明',
        description: '一个接口的字段、筛选参数和开放类型，无须密钥。',
        tags: ['开放目录'],
        security: [],
        parameters: [
          { name: 'code', in: 'path', required: true, description: '接口编码，如 GX-OPEN-0001', schema: { type: 'string', pattern: '^GX-OPEN-\\d{4}$' } },
        ],
        responses: {
          '200': { description: '接口说明', content: { 'application/json': { schema: ref('CatalogueEntry') } } },
          '404': problemResponse('接口不存在', ['not-found']),
        },
      },
    },
  };
  for (const i of interfaces) paths[`/open/v1/data/${i.code}`] = dataOperation(i);
  return {
    openapi: '3.1.0',
    info: {
      title: '一网通查 · 广西政府网站数据开放接口',
      version: '1.0.0',
      summary: '政府网站集约化平台的开放目录与数据接口',
      description:
        '按《信息共享开放标准接口规范》（/open/docs）提供的政府网站数据接口。调用数据接口须在请求头 X-Api-Key 中携带数据开放门户（/open）发放的密钥；有条件开放的接口须经数据提供单位批准。',
      contact: { name: '一网通查数据开放', url: `${origin}/open` },
      license: { name: '政府公开数据，使用时请注明数据来源', url: `${origin}/open/docs#license` },
    },
    servers: [{ url: origin, description: '本平台' }],
    tags: [{ name: '开放目录', description: '接口目录（无须密钥）' }, ...Object.values(OPEN_TOPICS).map((t) => ({ name: t, description: `${t}类数据接口` }))],
    paths,
    components: {
      schemas,
      securitySchemes: { ApiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: '数据开放门户发放的密钥（ywtc_ 开头）' } },
    },
  };
}
