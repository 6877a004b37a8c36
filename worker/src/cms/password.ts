/**
 * Password hashing: PBKDF2-SHA256 through WebCrypto (the same code in the Worker and in Node's seed), with a
 * random 16-byte salt per account. 100,000 iterations: the most Workers' WebCrypto allows for PBKDF2, and the
 * issue's floor. The iteration count is stored with each hash so it can be raised later, account by account.
 */
export const PBKDF2_ITERATIONS = 100_000;

const hex = (b: ArrayBuffer | Uint8Array) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string): Uint8Array<ArrayBuffer> => new Uint8Array((s.match(/../g) ?? []).map((h) => parseInt(h, 16)));

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  return hex(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256));
}

export interface PasswordHash {
  passwordHash: string;
  passwordSalt: string;
  passwordIterations: number;
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<PasswordHash> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { passwordHash: await derive(password, salt, iterations), passwordSalt: hex(salt), passwordIterations: iterations };
}

/** Compares in time independent of where the first difference is. */
export function sameString(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  return sameString(await derive(password, unhex(stored.passwordSalt), stored.passwordIterations), stored.passwordHash);
}

/** Checked against when the user name is unknown, so an unknown name takes as long as a wrong password. */
export const DECOY: PasswordHash = { passwordHash: '0'.repeat(64), passwordSalt: '0'.repeat(32), passwordIterations: PBKDF2_ITERATIONS };

export const sha256Hex = async (s: string) => hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
export const randomToken = () =>
  btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
