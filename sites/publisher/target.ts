/**
 * Where the publisher reads content and writes sites: straight through D1/R2 bindings (wrangler's proxy —
 * used for the remote production store and in tests), or through the Worker's publishing API (/_ingest) over
 * plain HTTP, which is how a local build runs at full speed.
 */
import {
  ManifestSchema,
  commitPointer,
  listPointers,
  pointerFromMetadata,
  publicationKeys as keys,
  type TABLES,
  type Manifest,
  type Pointer,
} from '@ywtc/cms-schema';
import { loadStore, type Store } from './store.ts';

export interface PublishTarget {
  loadStore(): Promise<Store>;
  /** Every site's live pointer. */
  listPointers(): Promise<Map<string, Pointer>>;
  readManifest(siteId: string, version: string): Promise<Manifest | null>;
  /**
   * Writes a new version and makes it live: pack (may be empty), then manifest, then the pointer — the commit,
   * refused (an error) if the live version is no longer `expected`, the one the build started from.
   */
  publishVersion(manifest: Manifest, pack: Uint8Array, pointer: Pointer, expected: string | null): Promise<void>;
  /** Moves the pointer alone (a rebuild that changed no page), under the same condition. */
  putPointer(siteId: string, pointer: Pointer, expected: string | null): Promise<void>;
  /**
   * Page updates owed (the render queue): site → number of its last task. A site listed here is not up to
   * date, whatever its pointer says — a change committed, its pages not yet (worker/src/render/render-queue.ts).
   */
  pendingRenders(): Promise<Map<string, number>>;
  /** A whole-site publish from content read after these tasks were queued has done them. */
  ackRenders(siteId: string, upTo: number): Promise<void>;
}

export function bindingTarget(env: { DB: D1Database; PAGES: R2Bucket }): PublishTarget {
  const bucket = env.PAGES;
  return {
    loadStore: () => loadStore(env.DB),
    listPointers: () => listPointers(bucket),
    async readManifest(siteId, version) {
      const obj = await bucket.get(keys.manifest(siteId, version));
      return obj ? ManifestSchema.parse(await obj.json()) : null;
    },
    async publishVersion(m, pack, pointer, expected) {
      if (pack.byteLength > 0) await bucket.put(keys.pack(m.siteId, m.version), pack);
      await bucket.put(keys.manifest(m.siteId, m.version), JSON.stringify(m), { httpMetadata: { contentType: 'application/json' } });
      await this.putPointer(m.siteId, pointer, expected);
    },
    async putPointer(siteId, p, expected) {
      if (!(await commitPointer(bucket, siteId, p, expected))) throw new Error(`site ${siteId} was published by someone else meanwhile; rebuild`);
    },
    async pendingRenders() {
      const { results } = await env.DB.prepare('SELECT site_id, max(seq) AS seq FROM render_queue GROUP BY site_id').all<{ site_id: string; seq: number }>();
      return new Map(results.map((r) => [r.site_id, r.seq]));
    },
    async ackRenders(siteId, upTo) {
      await env.DB.prepare('DELETE FROM render_queue WHERE site_id = ? AND seq <= ?').bind(siteId, upTo).run();
    },
  };
}

export function workerTarget(origin: string, token: string): PublishTarget & { loadOnce(): Promise<Store> } {
  const call = async (method: string, path: string, body?: BodyInit, type?: string): Promise<Response> => {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (type) headers['Content-Type'] = type;
    const res = await fetch(`${origin}/_ingest${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    // Only a read may find nothing; a 404 on a write means the publishing API is switched off.
    if (!res.ok && !(res.status === 404 && method === 'GET')) throw new Error(`${method} /_ingest${path}: HTTP ${res.status} ${await res.text()}`);
    return res;
  };
  const json = async <T>(path: string): Promise<T> => await (await call('GET', path)).json();
  return {
    /**
     * Tables are read in pages over several requests; if the content changed meanwhile (the revision moved),
     * the read is repeated so a publish never stamps a mixed snapshot with the newer revision.
     */
    async loadStore() {
      for (let attempt = 0; ; attempt++) {
        const before = (await json<{ revision: string }>('/revision')).revision;
        const store = await this.loadOnce();
        if (store.revision === before) return store;
        if (attempt >= 3) throw new Error('content kept changing while it was read; try again');
      }
    },
    async loadOnce() {
      const table = async <T>(name: keyof typeof TABLES): Promise<T[]> => {
        const rows: T[] = [];
        for (let offset: number | null = 0; offset !== null;) {
          const page: { rows: T[]; next: number | null } = await json(`/tables/${name}?offset=${offset}&limit=2000`);
          rows.push(...page.rows);
          offset = page.next;
        }
        return rows;
      };
      const [sites, columns, documents, placements, links, qa, { revision }] = await Promise.all([
        table<Store['sites'][number]>('sites'),
        table<Store['columns'][number]>('columns'),
        table<Parameters<Store['documents']['set']>[1]>('documents'),
        table<Store['placements'][number]>('placements'),
        table<Store['links'][number]>('interpretationLinks'),
        table<Store['qa'][number]>('qaEntries'),
        json<{ revision: string }>('/revision'),
      ]);
      sites.sort((a, b) => a.sortOrder - b.sortOrder);
      columns.sort((a, b) => a.siteId.localeCompare(b.siteId) || a.sortOrder - b.sortOrder);
      return { sites, columns, documents: new Map(documents.map((d) => [d.id, d])), placements, links, qa, revision };
    },
    async listPointers() {
      const raw = await json<Record<string, Record<string, string>>>('/pointers');
      const out = new Map<string, Pointer>();
      for (const [site, meta] of Object.entries(raw)) {
        const p = pointerFromMetadata(meta);
        if (p) out.set(site, p);
      }
      return out;
    },
    async readManifest(siteId, version) {
      const res = await call('GET', `/sites/${siteId}/manifests/${version}`);
      return res.status === 404 ? null : ManifestSchema.parse(await res.json());
    },
    async publishVersion(m, pack, pointer, expected) {
      // One request: [4-byte header length][header JSON][pack] (worker/src/ingest/routes.ts).
      const header = new TextEncoder().encode(JSON.stringify({ manifest: m, pointer, expectedVersion: expected }));
      const body = new Uint8Array(4 + header.byteLength + pack.byteLength);
      new DataView(body.buffer).setUint32(0, header.byteLength);
      body.set(header, 4);
      body.set(pack, 4 + header.byteLength);
      await call('POST', `/sites/${m.siteId}/versions/${m.version}`, body, 'application/octet-stream');
    },
    async putPointer(siteId, p, expected) {
      await call('PUT', `/sites/${siteId}/current?expected=${encodeURIComponent(expected ?? '')}`, JSON.stringify(p), 'application/json');
    },
    async pendingRenders() {
      return new Map(Object.entries((await json<{ pending: Record<string, number> }>('/render-queue')).pending));
    },
    async ackRenders(siteId, upTo) {
      await call('POST', '/render-queue/ack', JSON.stringify({ siteId, upTo }), 'application/json');
    },
  };
}
