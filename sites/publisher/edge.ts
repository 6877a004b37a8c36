/**
 * What the edge Worker takes from the publisher (`@ywtc/sites/edge`): the same page models, incremental
 * selection, packing and card bookkeeping the Node publisher uses, so a page re-rendered in the Worker has the
 * bytes a full publish gives it. Nothing here starts threads or touches the file system.
 */
export { affectedModels, nextManifest, renderModels, type SiteChange } from './incremental.ts';
export { indexStore, sitePages, type StoreIndex } from './routes.ts';
export { buildPack, newVersion, prepareFile, type PackFile } from './pack.ts';
export { renderSite } from './render-site.ts';
export { rendererFrom, type Renderer } from './render-calls.ts';
export { chromeCache } from './chrome-cache.ts';
export { liveCards, type CardDrawer, type CardSource } from './cards/site-cards.ts';
export type { Store } from './store.ts';
export type { CardSpec } from '../src/model.ts';
