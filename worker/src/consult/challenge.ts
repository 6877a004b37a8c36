/**
 * The form's check against bots, without JavaScript: a small sum whose numbers come from a signed token (HMAC with
 * a key derived from PERSONAL_SECRET, so the token does not reveal them), a honeypot field people never see, and a
 * minimum time between getting the form and posting it. None of it stops a determined person; it stops the
 * scripts that post to every form they find, and the rate limits (rate.ts) bound the rest.
 */
import { personalEnabled } from '../personal/profile-cookie.ts';

export const MIN_FILL_SECONDS = 3;
export const MAX_AGE_SECONDS = 2 * 3600;
/** The field a person never sees (hidden); a bot that fills every field fills it. */
export const HONEYPOT = 'website';

const keys = new Map<string, Promise<CryptoKey>>();
function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    // A key of its own (domain separation): a challenge token can never be a valid settings cookie, nor the reverse.
    key = crypto.subtle
      .importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      .then((base) => crypto.subtle.sign('HMAC', base, new TextEncoder().encode('ywtc consult challenge v1')))
      .then((derived) => crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']));
    keys.set(secret, key);
  }
  return key;
}

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const mac = async (secret: string, payload: string) => new Uint8Array(await crypto.subtle.sign('HMAC', await keyOf(secret), new TextEncoder().encode(payload)));

export const challengeEnabled = personalEnabled;

export interface Challenge {
  token: string;
  a: number;
  b: number;
}

async function numbersOf(secret: string, nonce: string): Promise<[number, number]> {
  const m = await mac(secret, `q|${nonce}`);
  return [1 + (m[0]! % 9), 1 + (m[1]! % 9)];
}

/** A new challenge for a form of `siteId`, issued at `nowSeconds`. */
export async function issueChallenge(secret: string, siteId: string, nowSeconds: number): Promise<Challenge> {
  const nonce = hex(crypto.getRandomValues(new Uint8Array(9)).buffer);
  const payload = `${nowSeconds}.${nonce}`;
  const sig = hex((await mac(secret, `t|${siteId}|${payload}`)).slice(0, 16).buffer);
  const [a, b] = await numbersOf(secret, nonce);
  return { token: `${payload}.${sig}`, a, b };
}

/** The challenge the token carries (to show it again after a refused post), or null when it is not ours. */
export async function readChallenge(secret: string, siteId: string, token: string): Promise<(Challenge & { issued: number }) | null> {
  const m = /^(\d{1,12})\.([0-9a-f]{18})\.([0-9a-f]{32})$/.exec(token);
  if (!m) return null;
  const [, issued = '', nonce = '', sig = ''] = m;
  const expected = hex((await mac(secret, `t|${siteId}|${issued}.${nonce}`)).slice(0, 16).buffer);
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= expected.charCodeAt(i) ^ sig.charCodeAt(i);
  if (diff !== 0) return null;
  const [a, b] = await numbersOf(secret, nonce);
  return { token, a, b, issued: Number(issued) };
}

export type ChallengeVerdict = 'ok' | 'invalid' | 'too-fast' | 'expired' | 'wrong' | 'bot';

/** Whether a post passes: a token of ours for this site, not too fast nor too old, the right sum, the honeypot empty. */
export async function checkChallenge(
  secret: string,
  siteId: string,
  fields: { token: unknown; answer: unknown; honeypot: unknown },
  nowSeconds: number,
): Promise<ChallengeVerdict> {
  if (typeof fields.honeypot === 'string' && fields.honeypot !== '') return 'bot';
  if (typeof fields.token !== 'string') return 'invalid';
  const c = await readChallenge(secret, siteId, fields.token);
  if (!c) return 'invalid';
  const age = nowSeconds - c.issued;
  if (age < MIN_FILL_SECONDS) return 'too-fast';
  if (age > MAX_AGE_SECONDS) return 'expired';
  const answer = typeof fields.answer === 'string' ? fields.answer.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)) : '';
  return /^\d{1,3}$/.test(answer) && Number(answer) === c.a + c.b ? 'ok' : 'wrong';
}

export const CHALLENGE_MESSAGES: Record<Exclude<ChallengeVerdict, 'ok'> | 'used', string> = {
  used: '验证问题：这份表单已经提交过，请回答新的验证问题后再提交',
  invalid: '验证问题：表单已失效，请重新填写验证问题后提交',
  'too-fast': '验证问题：提交过快，请确认内容后再提交',
  expired: '验证问题：表单已超过 2 小时，请重新回答验证问题后提交',
  wrong: '验证问题：答案不正确，请重新计算',
  bot: '表单：无法提交，请刷新页面后重试',
};
