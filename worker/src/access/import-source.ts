/**
 * The `importSource` principal: a separately built platform whose request carries a valid signature
 * (cms-schema import-signature.ts) made with its source's key, within the time window. Reads the body to check
 * the signature; Hono keeps it, so the route reads it again for free.
 */
import type { Context } from 'hono';
import { ANONYMOUS, SIGNATURE_WINDOW_S, bodyDigest, importSignature, parseImportAuthorization, type Principal } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { loadSource, unseal } from '../import/source-keys.ts';
import { sameString } from '../cms/password.ts';

export async function importSource(c: Context<AppEnv>, header: string): Promise<Principal> {
  const auth = parseImportAuthorization(header);
  const secret = c.env.INGEST_TOKEN;
  if (!auth || !secret || Math.abs(Date.now() / 1000 - auth.timestamp) > SIGNATURE_WINDOW_S) return ANONYMOUS;
  const source = await loadSource(c.env.DB, auth.source);
  const key = source?.keySecret ? await unseal(source.keySecret, secret) : null;
  if (!source || !key) return ANONYMOUS;
  const url = new URL(c.req.url);
  const expected = await importSignature(key, auth.timestamp, c.req.method, url.pathname + url.search, await bodyDigest(await c.req.arrayBuffer()));
  if (!sameString(expected, auth.signature)) return ANONYMOUS;
  return { kind: 'importSource', sourceId: source.id, siteIds: source.siteIds, hidden: source.hidden };
}
