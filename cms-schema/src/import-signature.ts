/**
 * How a separately built platform signs a push (docs/import.md): HMAC-SHA256 with its source key over the
 * timestamp, the method, the path and the SHA-256 of the body, sent as
 *
 *   Authorization: YWTC-HMAC-SHA256 Source=<source id>, Timestamp=<unix seconds>, Signature=<hex>
 *
 * The timestamp must be within five minutes of the platform's clock, so a captured request cannot be replayed
 * later; within the window a replay changes nothing (records are idempotent by their source id). Web Crypto
 * only, so the Worker and the Node client share this code.
 */
export const SIGNATURE_SCHEME = 'YWTC-HMAC-SHA256';
export const SIGNATURE_WINDOW_S = 300;

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

export async function bodyDigest(body: ArrayBuffer | Uint8Array | string): Promise<string> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return hex(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
}

export async function importSignature(key: string, timestamp: number, method: string, path: string, bodySha256: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', new TextEncoder().encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(`${timestamp}\n${method.toUpperCase()}\n${path}\n${bodySha256}`)));
}

/** The Authorization header for a request (the Node client and the tests). */
export async function signImportRequest(
  source: string,
  key: string,
  method: string,
  path: string,
  body: ArrayBuffer | Uint8Array | string,
  now = Date.now(),
): Promise<string> {
  const ts = Math.floor(now / 1000);
  const sig = await importSignature(key, ts, method, path, await bodyDigest(body));
  return `${SIGNATURE_SCHEME} Source=${source}, Timestamp=${ts}, Signature=${sig}`;
}

export function parseImportAuthorization(header: string): { source: string; timestamp: number; signature: string } | null {
  const m = /^YWTC-HMAC-SHA256\s+Source=([a-z0-9-]{2,40}),\s*Timestamp=(\d{9,11}),\s*Signature=([0-9a-f]{64})$/.exec(header.trim());
  return m ? { source: m[1]!, timestamp: Number(m[2]), signature: m[3]! } : null;
}
