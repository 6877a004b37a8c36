/** The D1 tables made by the migrations must be exactly the tables the zod schemas describe (cms-schema/table.ts). */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { TABLES, columnsOf } from '@ywtc/cms-schema';

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

describe('migrations agree with the zod content model', () => {
  for (const spec of Object.values(TABLES)) {
    it(`table ${spec.name}`, async () => {
      const { results } = await env.DB.prepare(`PRAGMA table_info(${spec.name})`).all<ColumnInfo>();
      expect(results.length, `table ${spec.name} exists`).toBeGreaterThan(0);
      const actual = Object.fromEntries(results.map((c) => [c.name, { type: c.type, nullable: c.notnull === 0 && c.pk === 0 }]));
      const expected = Object.fromEntries(columnsOf(spec).map((c) => [c.name, { type: c.type, nullable: c.nullable }]));
      expect(actual).toEqual(expected);
      const pk = results
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      expect(pk).toEqual([...spec.primaryKey]);
    });
  }
});
