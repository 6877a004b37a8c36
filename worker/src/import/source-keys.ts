/**
 * Push sources and their keys. A key is shown once, at registration; D1 keeps its SHA-256 (to find the source
 * without the secret) and the secret itself sealed with AES-GCM under a key derived from the Worker's
 * INGEST_TOKEN secret — an HMAC can only be checked by someone holding the secret, and a copy of the database
 * alone must not be enough to sign as a platform.
 */
import { ImportSourceIdSchema, type ImportSourceRow } from '@ywtc/cms-schema';
import { z } from 'zod';
import { sha256Hex } from '../cms/password.ts';

const hex = (b: ArrayBuffer | Uint8Array) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => new Uint8Array(s.match(/../g)!.map((h) => parseInt(h, 16)));

async function sealingKey(secret: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode('ywtc-import-source-keys'), info: new Uint8Array() },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function seal(plain: string, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await sealingKey(secret), new TextEncoder().encode(plain));
  return hex(iv) + hex(sealed);
}

export async function unseal(sealed: string, secret: string): Promise<string | null> {
  try {
    const bytes = unhex(sealed);
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, 12) }, await sealingKey(secret), bytes.slice(12));
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}

export const NewSourceSchema = z.object({
  id: ImportSourceIdSchema,
  name: z.string().trim().min(2, '来源名称至少 2 个字').max(80),
  siteIds: z
    .array(z.string().regex(/^[a-z0-9-]+$/, '网站 ID 格式不正确'))
    .min(1, '至少指定一个网站')
    .max(300),
  hidden: z.boolean().default(false),
  /** Push sources get a key; sources only the command line feeds do not. */
  push: z.boolean().default(true),
});

export interface RegisteredSource {
  row: ImportSourceRow;
  /** Shown once. */
  key: string | null;
}

/** Registers (or re-keys) a source. The sites must exist. */
export async function registerSource(
  db: D1Database,
  input: z.infer<typeof NewSourceSchema>,
  secret: string | undefined,
  now = new Date(),
): Promise<RegisteredSource | { field: string; message: string }> {
  const { results } = await db
    .prepare('SELECT id FROM sites WHERE id IN (SELECT value FROM json_each(?))')
    .bind(JSON.stringify(input.siteIds))
    .all<{ id: string }>();
  const known = new Set(results.map((r) => r.id));
  const missing = input.siteIds.find((s) => !known.has(s));
  if (missing) return { field: 'siteIds', message: `网站 ${missing} 不在注册表中` };
  if (input.push && (!secret || secret.length < 32)) return { field: 'push', message: '平台未配置 INGEST_TOKEN，无法为推送来源签发密钥' };
  const key = input.push ? `ywtc_import_${hex(crypto.getRandomValues(new Uint8Array(24)))}` : null;
  const row: ImportSourceRow = {
    id: input.id,
    name: input.name,
    siteIds: input.siteIds,
    hidden: input.hidden,
    keyHash: key ? await sha256Hex(key) : null,
    createdAt: now.toISOString(),
  };
  await db
    .prepare(
      `INSERT INTO import_sources (id, name, site_ids, hidden, key_hash, key_secret, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, site_ids = excluded.site_ids, hidden = excluded.hidden, key_hash = excluded.key_hash, key_secret = excluded.key_secret`,
    )
    .bind(row.id, row.name, JSON.stringify(row.siteIds), row.hidden ? 1 : 0, row.keyHash, key && secret ? await seal(key, secret) : null, row.createdAt)
    .run();
  return { row, key };
}

export async function loadSource(db: D1Database, id: string): Promise<(ImportSourceRow & { keySecret: string | null }) | null> {
  const r = await db
    .prepare('SELECT id, name, site_ids, hidden, key_hash, key_secret, created_at FROM import_sources WHERE id = ?')
    .bind(id)
    .first<{ id: string; name: string; site_ids: string; hidden: number; key_hash: string | null; key_secret: string | null; created_at: string }>();
  return r
    ? {
        id: r.id,
        name: r.name,
        siteIds: JSON.parse(r.site_ids) as string[],
        hidden: r.hidden === 1,
        keyHash: r.key_hash,
        keySecret: r.key_secret,
        createdAt: r.created_at,
      }
    : null;
}
