/**
 * `npm test`: the static checks — strict TypeScript over every workspace (and the admin's browser script),
 * ESLint with type-aware rules and no import cycles, Prettier's formatting — then every test project (unit in
 * Node, Worker in workerd, the production bundles, end to end with wrangler dev) in one vitest run. The closing
 * line `N passed, N failed` counts tests only; a failed check is reported on its own line above it and fails
 * the run all the same. Extra args go to vitest.
 *
 * The static checks are single-threaded and independent, so they run in two lanes on CI's two cores — ESLint
 * (≈ 40 s) beside the three typechecks and Prettier (≈ 36 s) — each check's output printed whole when it ends.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROOT, wranglerEnv } from './lib/platform.ts';
import { ensureRenderer } from '../sites/publisher/renderer.ts';
import { ensureAdminClient } from './lib/admin-client.ts';
import { ensureOpenAssets } from './lib/open-assets.ts';

// The Worker bundles the site renderer (worker/src/render/) and the admin script, so both must exist before anything compiles.
const built = ensureRenderer((l) => console.log(l));
if (built.built) console.log(`renderer built in ${(built.ms / 1000).toFixed(1)} s`);
ensureAdminClient();
ensureOpenAssets();

const bin = (pkg: string, path: string) => join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), path);
const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: wranglerEnv }).status === 0;

/** Runs one check with its output held back, so that two checks side by side never interleave their lines. */
function check(name: string, args: string[]): Promise<[string, boolean]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: wranglerEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    for (const stream of [child.stdout, child.stderr]) stream.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('error', (e) => (out += `${e.message}\n`));
    child.on('close', (code) => {
      process.stdout.write(out);
      resolve([name, code === 0]);
    });
  });
}
type Check = [name: string, args: string[]];
/** The checks of one lane, one after another. */
async function lane(list: Check[]): Promise<[string, boolean][]> {
  const done: [string, boolean][] = [];
  for (const [name, args] of list) done.push(await check(name, args));
  return done;
}
const tsc = (project: string): Check => [`typecheck ${project}`, [bin('typescript', 'bin/tsc'), '-p', project, ...(process.stdout.isTTY ? ['--pretty'] : [])]];
const [typesAndFormat, lint] = await Promise.all([
  lane([
    tsc('tsconfig.json'),
    tsc('worker/tsconfig.json'),
    tsc('worker/src/admin/client/tsconfig.json'),
    ['format (prettier --check)', [bin('prettier', 'bin/prettier.cjs'), '--check', '--log-level', 'warn', '.']],
  ]),
  lane([['lint (eslint)', [bin('eslint', 'bin/eslint.js'), '--max-warnings', '0', '.']]]),
]);
const checks = [...typesAndFormat.slice(0, 3), ...lint, ...typesAndFormat.slice(3)];
for (const [name, ok] of checks) console.log(`${name}: ${ok ? 'ok' : 'FAILED'}`);

const report = join(ROOT, '.vitest-report.json');
rmSync(report, { force: true });
const tests = run([bin('vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);
let passed = 0;
let failed = 1; // no report: the run itself failed
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numFailedTestSuites: number };
  passed = r.numPassedTests;
  // A test file that fails to load has no tests to count but must still fail the run.
  failed = r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
}
const failedChecks = checks.filter(([, ok]) => !ok).map(([name]) => name);
if (failedChecks.length) console.log(`\nchecks failed: ${failedChecks.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(tests && failed === 0 && passed > 0 && failedChecks.length === 0 ? 0 : 1);
