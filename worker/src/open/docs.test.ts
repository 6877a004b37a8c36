/** The interface standard (/open/docs), the OpenAPI document and the interactive reference, served by the Worker. */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, DATASET_KEYS, TABLES, buildCatalogue, insertSql, toRow } from '@ywtc/cms-schema';
import { SITES, seedRegistry } from '../testing/sites.ts';
import { forgetCatalogue } from './catalogue.ts';
import { PROBLEM_TYPES } from './problem.ts';

const ORIGIN = 'http://127.0.0.1:8787';
let count = 0;
beforeAll(async () => {
  await seedRegistry();
  const catalogue = buildCatalogue(SITES, new Date().toISOString());
  count = catalogue.length;
  await env.DB.batch(catalogue.map((i) => env.DB.prepare(insertSql(TABLES.openInterfaces)).bind(...toRow(TABLES.openInterfaces, i))));
  forgetCatalogue();
});

describe('the interface standard', () => {
  it('serves docs/open-data.md with appendices generated from every dataset and problem type', async () => {
    const res = await SELF.fetch(`${ORIGIN}/open/docs`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<h1>信息共享开放标准接口规范（一网通查数据开放）</h1>');
    expect(page).toContain('<h3 id="ds-policies">政策文件（<code>policies</code>）</h3>');
    for (const k of DATASET_KEYS) {
      expect(page).toContain(`${DATASETS[k].label}的字段`);
      for (const field of Object.keys(DATASETS[k].record.shape)) expect(page, `${k}.${field}`).toContain(`<code>${field}</code>`);
    }
    for (const t of Object.keys(PROBLEM_TYPES)) expect(page).toContain(`id="problem-${t}"`);
    expect(page).toContain('id="license"');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('serves the OpenAPI 3.1 document with one operation per interface', async () => {
    const doc = (await (await SELF.fetch(`${ORIGIN}/open/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      servers: { url: string }[];
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/open/v1/data/'))).toHaveLength(count);
    expect(doc.servers[0]!.url).toBe(ORIGIN);
  });

  it("serves the interactive reference with Scalar's script from this origin, nothing from a CDN", async () => {
    const page = await SELF.fetch(`${ORIGIN}/open/docs/api`);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('<script src="/open/docs/api/scalar.js"></script>');
    expect(text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const script = await SELF.fetch(`${ORIGIN}/open/docs/api/scalar.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await script.text()).length).toBeGreaterThan(1_000_000);
    expect(await (await SELF.fetch(`${ORIGIN}/open/docs/api/init.js`)).text()).toContain("url: '/open/openapi.json'");
  });
});
