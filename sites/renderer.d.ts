/** The Astro server build (dist/server/entry.mjs, made by `ensureRenderer`): see renderer-adapter.ts. */
export declare function render(request: Request, locals: Record<string, unknown>): Promise<Response>;
