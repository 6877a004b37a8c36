/**
 * For the 整改 and report tests: the two seeded sites (region, city) and three more — two counties under the city
 * and a department under one of them — so access along the hierarchy can be tested; findings and runs as the
 * engine stores them, written directly (the tests do not need the engine).
 */
import { env } from 'cloudflare:test';
import {
  FINDING_KINDS,
  SiteSchema,
  TABLES,
  insertSql,
  toRow,
  type Finding,
  type FindingKind,
  type InspectionRun,
  type Schedule,
  type SiteScore,
} from '@ywtc/cms-schema';
import { seedRegistry } from '../../testing/sites.ts';

const base = {
  domainListed: true,
  icp: '桂ICP备12000001号',
  contact: { phone: '0771-12345', address: '广西壮族自治区南宁市' },
  themeId: 'portal-red',
};
export const COUNTY_SITES = [
  SiteSchema.parse({
    ...base,
    id: 'nnxn',
    name: '南宁市兴宁区人民政府门户网站',
    sponsor: '南宁市兴宁区人民政府办公室',
    kind: 'county-portal',
    parentId: 'nanning',
    divisionCode: '450102',
    domains: ['www.xingning.gov.cn'],
    idCode: '4501020001',
    psb: '桂公网安备 45010202000001号',
    sortOrder: 2,
  }),
  SiteSchema.parse({
    ...base,
    id: 'nnxn-jyj',
    name: '兴宁区教育局',
    sponsor: '南宁市兴宁区教育局',
    kind: 'department',
    parentId: 'nnxn',
    divisionCode: '450102',
    domains: ['jyj.xingning.gov.cn'],
    idCode: '4501020002',
    psb: '桂公网安备 45010202000002号',
    sortOrder: 3,
  }),
  SiteSchema.parse({
    ...base,
    id: 'nnqx',
    name: '南宁市青秀区人民政府门户网站',
    sponsor: '南宁市青秀区人民政府办公室',
    kind: 'county-portal',
    parentId: 'nanning',
    divisionCode: '450103',
    domains: ['www.qingxiu.gov.cn'],
    idCode: '4501030001',
    psb: '桂公网安备 45010302000001号',
    sortOrder: 4,
  }),
];

export async function seedHierarchy() {
  await seedRegistry();
  await env.DB.batch(COUNTY_SITES.map((s) => env.DB.prepare(insertSql(TABLES.sites)).bind(...toRow(TABLES.sites, s))));
}

const hex = async (s: string) =>
  [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)))]
    .slice(0, 16)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');

/** A finding as the engine writes it (the fingerprint from kind, site, url and target, as the schema says). */
export async function finding(runId: string, siteId: string, kind: FindingKind, url: string, target = '', message = '问题'): Promise<Finding> {
  const spec = FINDING_KINDS[kind];
  return {
    runId,
    siteId,
    kind,
    severity: spec.severity,
    points: spec.points,
    url,
    target,
    message,
    excerpt: `摘录：${target || url}`,
    fingerprint: await hex(`${kind}|${siteId}|${url}|${target}`),
  };
}

export const run = (id: string, schedule: Schedule, startedAt: Date): InspectionRun => ({
  id,
  schedule,
  state: 'finished',
  trigger: 'cron',
  startedAt: startedAt.toISOString(),
  finishedAt: new Date(startedAt.getTime() + 60_000).toISOString(),
  sites: 0,
  pages: 0,
  findings: 0,
  skipped: 0,
  requestedBy: null,
});

/** A run with its sites done, their scores and findings, as the engine leaves a finished run. */
export async function storeRun(r: InspectionRun, sites: { score: SiteScore | null; siteId: string; findings: Finding[] }[]) {
  await env.DB.batch([
    env.DB.prepare(insertSql(TABLES.inspectionRuns)).bind(...toRow(TABLES.inspectionRuns, r)),
    ...sites.map((s) => env.DB.prepare('INSERT INTO inspection_tasks (run_id, site_id, done) VALUES (?, ?, 1)').bind(r.id, s.siteId)),
    ...sites.flatMap((s) => (s.score ? [env.DB.prepare(insertSql(TABLES.inspectionScores)).bind(...toRow(TABLES.inspectionScores, s.score))] : [])),
    ...sites.flatMap((s) => s.findings.map((f) => env.DB.prepare(insertSql(TABLES.inspectionFindings)).bind(...toRow(TABLES.inspectionFindings, f)))),
  ]);
}
