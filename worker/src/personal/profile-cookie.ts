/**
 * The citizen's settings cookie (千人千网): `ywtc_me=<base64url JSON>.<base64url HMAC-SHA-256, 16 bytes>`, signed
 * with PERSONAL_SECRET so a page never trusts settings it did not write. A value that is oversized, malformed,
 * wrongly signed, of an old format or older than PROFILE_LIMITS.maxAgeDays is ignored: the page is served as if
 * there were no settings (the static page). Nothing here is logged.
 */
import { PROFILE_LIMITS, ProfileSchema, type Profile } from '@ywtc/cms-schema';

export const PROFILE_COOKIE = 'ywtc_me';
/** How long the browser keeps the settings; each save starts it again. */
export const PROFILE_COOKIE_SECONDS = 180 * 86_400;
const MIN_SECRET = 32;

const keys = new Map<string, Promise<CryptoKey>>();
function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

/** Personalisation is on only with a secret long enough to sign with. */
export const personalEnabled = (secret: string | undefined): secret is string => typeof secret === 'string' && secret.length >= MIN_SECRET;

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
function fromB64url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

async function mac(secret: string, payload: string): Promise<Uint8Array> {
  const sig = await crypto.subtle.sign('HMAC', await keyOf(secret), new TextEncoder().encode(payload));
  return new Uint8Array(sig).slice(0, 16);
}

export async function signProfile(secret: string, profile: Profile): Promise<string> {
  const payload = b64url(new TextEncoder().encode(JSON.stringify(ProfileSchema.parse(profile))));
  return `${payload}.${b64url(await mac(secret, payload))}`;
}

/** The profile a cookie value carries, or null when it is not one this platform signed, still current and well-formed. */
export async function readProfile(secret: string, value: string | undefined, nowSeconds: number): Promise<Profile | null> {
  if (!value || value.length > PROFILE_LIMITS.cookieChars) return null;
  const dot = value.indexOf('.');
  if (dot <= 0 || dot !== value.lastIndexOf('.')) return null;
  const payload = value.slice(0, dot);
  const given = fromB64url(value.slice(dot + 1));
  if (!given || given.length !== 16) return null;
  const expected = await mac(secret, payload);
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= expected[i]! ^ given[i]!;
  if (diff !== 0) return null;
  const bytes = fromB64url(payload);
  if (!bytes) return null;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    return null;
  }
  const parsed = ProfileSchema.safeParse(json);
  if (!parsed.success) return null;
  const age = nowSeconds - parsed.data.at;
  if (age < -300 || age > PROFILE_LIMITS.maxAgeDays * 86_400) return null;
  return parsed.data;
}

/** The one cookie's value from a Cookie header (no full parse: the hot path reads only this). */
export function profileCookieValue(cookie: string | undefined): string | undefined {
  if (!cookie || !cookie.includes(PROFILE_COOKIE)) return undefined;
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === PROFILE_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Set-Cookie for the settings: the whole site (Path=/ at its host; the preview prefix under a platform host). */
export function profileSetCookie(value: string, path: string, secure: boolean): string {
  return `${PROFILE_COOKIE}=${value}; Path=${path}; Max-Age=${PROFILE_COOKIE_SECONDS}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}
export function profileClearCookie(path: string, secure: boolean): string {
  return `${PROFILE_COOKIE}=; Path=${path}; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}
