export { ensureRenderer, rendererSourceHash } from './renderer.ts';
export { publishSites, readPointer, readManifest, listPointers, type PublishReport, type PublishOptions } from './publish.ts';
export { loadStore } from './store.ts';
export { indexStore, sitePages } from './routes.ts';
