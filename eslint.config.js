// ESLint for the whole monorepo: typescript-eslint's type-checked rules (each file with the tsconfig that
// holds it — the Worker's, the admin script's browser one, the root one) and no import cycles between modules.
// Why these and not others: docs/toolchain.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.wrangler/**', 'sites/.astro/**', '.bench/**', 'sites/src/scripts/**', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/extensions': ['.ts'] },
    rules: {
      // Modules that import each other are one module in disguise: the Worker's capabilities must stay layered.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // A promise nobody awaits is a write that may never happen (or an error nobody sees) in a Worker.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      // Numbers in messages and paths are what template literals are for.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // import() types stay allowed: ambient declarations (*.d.ts) augment globals and cannot import at the top.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // 　 (U+3000, the full-width space) separates fields in Chinese UI text on purpose.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipComments: true, skipRegExps: true }],
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Tests assert on values whose types the test itself narrows; `any` from JSON bodies is the point there.
    files: ['**/*.test.ts', '**/test/**/*.ts', 'tests/**/*.ts', 'worker/src/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Fakes implement async interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      // A test states the shape it expects of a JSON answer where it reads it: `(await res.json()) as {…}`.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Failure messages and expected strings interpolate whatever the test looks at.
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
);
