export { ensureRenderer, rendererSourceHash } from './renderer.ts';
export { publishSites, type PublishReport, type PublishOptions } from './publish.ts';
export { bindingTarget, workerTarget, type PublishTarget } from './target.ts';
export { loadStore } from './store.ts';
export { indexStore, sitePages } from './routes.ts';
