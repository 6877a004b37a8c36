import { applyD1Migrations, env } from 'cloudflare:test';
import { vi } from 'vitest';

/**
 * Before each Worker test file. Files share one workerd per runner (isolate: false, worker/vitest.config.ts), so
 * each starts from an empty store and fresh modules as if it had a workerd of its own: every table, view and
 * trigger dropped, every R2 object deleted, the module registry reset, the migrations applied again.
 */
// Dropped until none is left: an FTS table's shadow tables go with it and may not be dropped on their own.
for (let pass = 0; pass < 3; pass++) {
  const { results } = await env.DB.prepare(
    "SELECT name, type FROM sqlite_master WHERE type IN ('table','view','trigger') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY type = 'table', rowid DESC",
  ).all<{ name: string; type: string }>();
  if (!results.length) break;
  for (const o of results)
    await env.DB.prepare(`DROP ${o.type.toUpperCase()} IF EXISTS "${o.name}"`)
      .run()
      .catch(() => undefined);
}
for (;;) {
  const listed = await env.PAGES.list({ limit: 1000 });
  if (!listed.objects.length) break;
  await env.PAGES.delete(listed.objects.map((o) => o.key));
}
vi.resetModules();
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
