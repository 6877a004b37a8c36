/**
 * `npm test`: every test project (unit in Node, Worker in workerd, end-to-end with wrangler dev) in one
 * vitest run, then one plain closing line `N passed, N failed` that CI reads. Extra args go to vitest.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROOT, wranglerEnv } from './lib/platform.ts';
import { ensureRenderer } from '../sites/publisher/renderer.ts';
import { ensureAdminClient } from './lib/admin-client.ts';

// The Worker bundles the site renderer (worker/src/render/) and the admin script, so both must exist before anything compiles.
const built = ensureRenderer((l) => console.log(l));
if (built.built) console.log(`renderer built in ${(built.ms / 1000).toFixed(1)} s`);
ensureAdminClient();

// Strict TypeScript over every workspace first: a type error fails the run like a failing test.
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
let typeErrors = 0;
for (const project of ['tsconfig.json', 'worker/tsconfig.json', 'worker/src/admin/client/tsconfig.json']) {
  const r = spawnSync(process.execPath, [tsc, '-p', project], { cwd: ROOT, stdio: 'inherit' });
  console.log(`typecheck ${project}: ${r.status === 0 ? 'ok' : 'FAILED'}`);
  if (r.status !== 0) typeErrors++;
}

const report = join(ROOT, '.vitest-report.json');
rmSync(report, { force: true });
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const run = spawnSync(process.execPath, [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  cwd: ROOT, stdio: 'inherit', env: wranglerEnv,
});
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numFailedTestSuites: number };
  passed = r.numPassedTests;
  // A test file that fails to load has no tests to count but must still fail the run.
  failed = r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
} else {
  failed = 1;
}
passed += 2 - typeErrors;
failed += typeErrors;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
