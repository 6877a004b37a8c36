/**
 * html-validate for the pages the renderer writes (tests/e2e/html-quality.test.ts validates every family's pages
 * and the published pages of a seeded site against it). Astro emits plain HTML5, so the full recommended rule
 * set applies, plus the rules for complete documents (doctype, SRI). Changes from the presets, each with why:
 */
export default {
  root: true,
  extends: ['html-validate:recommended', 'html-validate:document'],
  rules: {
    // SRI guards against a third-party host serving altered bytes. The pages load only their own stylesheet and
    // the read-aloud script, by a relative path from the same origin, with a content hash in the file name
    // (/_astro/site.<hash>.css): an integrity attribute there adds nothing, so SRI is required where a
    // resource comes from elsewhere (and none does today).
    'require-sri': ['error', { target: 'crossorigin' }],
  },
};
