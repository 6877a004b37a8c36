/**
 * The open-data catalogue as the seed writes it for the real registry: at least 200 interfaces, each a
 * different (dataset, scope, unit), stable codes; no field of any dataset that could hold personal data; and
 * the OpenAPI 3.1 document generated from it linted by @redocly/cli with zero errors.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONDITIONAL, DATASETS, DATASET_KEYS, buildCatalogue, usccCheckChar, UsccSchema } from '@ywtc/cms-schema';
import { buildRegistry, loadRegistrySource } from '../registry.ts';
import { openApiDocument } from '../../../worker/src/open/openapi.ts';

const sites = buildRegistry(loadRegistrySource());
const catalogue = buildCatalogue(sites, '2026-12-01T00:00:00.000Z');

describe('the open-data catalogue of the real registry', () => {
  it('has at least 200 interfaces, each a different dataset, scope or unit, with codes in order', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(200);
    const keys = new Set(catalogue.map((i) => `${i.dataset}|${i.scopeKind}|${i.scopeSiteId}`));
    expect(keys.size).toBe(catalogue.length);
    expect(new Set(catalogue.map((i) => i.name)).size).toBe(catalogue.length);
    expect(catalogue.map((i) => i.code)).toEqual(catalogue.map((_, n) => `GX-OPEN-${String(n + 1).padStart(4, '0')}`));
    // Every dataset is opened somewhere.
    expect(new Set(catalogue.map((i) => i.dataset))).toEqual(new Set(DATASET_KEYS));
  });

  it('keeps the codes it gave when the registry grows (appends, never renumbers)', () => {
    const smaller = buildCatalogue(
      sites.filter((s) => s.kind !== 'department'),
      '2026-12-01T00:00:00.000Z',
    );
    const grown = buildCatalogue(sites, '2026-12-02T00:00:00.000Z', smaller);
    for (const old of smaller) expect(grown.find((g) => g.code === old.code)).toEqual(old);
    expect(grown.length).toBe(catalogue.length);
  });

  it('makes exactly the datasets listed as conditional 有条件开放, each with its reason', () => {
    for (const i of catalogue) {
      expect(i.openType, i.code).toBe(CONDITIONAL[i.dataset] ? 'conditional' : 'unconditional');
      expect(i.conditionReason.length > 0, i.code).toBe(i.openType === 'conditional');
    }
  });

  it('has no field in any dataset that could carry personal data', () => {
    const personal = /author|editor|account|user|password|contact|email|mobile|id_?card|ip|cookie|agent|applicant|person|created_by|decided_by|reviewer/i;
    for (const key of DATASET_KEYS) {
      const fields = Object.keys(z.toJSONSchema(DATASETS[key].record, { unrepresentable: 'any' }).properties as object);
      for (const f of fields) expect(personal.test(f), `${key}.${f}`).toBe(false);
    }
  });

  it('checks the 统一社会信用代码 check character (GB 32100-2015)', () => {
    // Published codes (on business licences and in the standard's worked examples).
    for (const code of ['11100000000013127D', '91350100M000100Y43', '914403001922038216']) expect(UsccSchema.safeParse(code).success, code).toBe(true);
    expect(usccCheckChar('11100000000013127')).toBe('D');
    expect(UsccSchema.safeParse('11100000000013127E').success).toBe(false);
    expect(UsccSchema.safeParse('1110000000001312').success).toBe(false);
  });
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with an operation per interface, and @redocly/cli lint finds no error in it', () => {
    const doc = openApiDocument(catalogue, 'https://data.gxzf.gov.cn') as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    for (const i of catalogue) expect(doc.paths[`/open/v1/data/${i.code}`], i.code).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'ywtc-openapi-'));
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    let out: string;
    try {
      out = execFileSync(process.execPath, [join(import.meta.dirname, '../../../node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--format', 'json'], {
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      out = (e as { stdout: string }).stdout;
    }
    const report = JSON.parse(out) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string; severity: string }[] };
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect(report.totals.warnings).toBe(0);
  }, 120_000);
});
