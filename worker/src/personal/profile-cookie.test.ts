/** The settings cookie on its own: what is signed reads back; anything else reads as no settings. */
import { describe, expect, it } from 'vitest';
import { PROFILE_LIMITS, type Profile } from '@ywtc/cms-schema';
import { personalEnabled, profileCookieValue, readProfile, signProfile } from './profile-cookie.ts';

const SECRET = 's'.repeat(40);
const NOW = 1_800_000_000;
const profile: Profile = { v: 1, i: ['shebao', 'jiaoyu'], s: ['hy-jhdj'], r: 'nnxn', h: true, t: ['yiliao'], d: ['1abc'], at: NOW };

describe('the settings cookie', () => {
  it('reads back exactly what was signed', async () => {
    const value = await signProfile(SECRET, profile);
    expect(value).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(await readProfile(SECRET, value, NOW + 60)).toEqual(profile);
  });

  it('is refused under another key, with any character changed, or cut short', async () => {
    const value = await signProfile(SECRET, profile);
    expect(await readProfile('t'.repeat(40), value, NOW)).toBeNull();
    for (let i = 0; i < value.length; i += 7) {
      const c = value[i] === 'A' ? 'B' : 'A';
      expect(await readProfile(SECRET, value.slice(0, i) + c + value.slice(i + 1), NOW), `position ${i}`).toBeNull();
    }
    expect(await readProfile(SECRET, value.slice(0, -1), NOW)).toBeNull();
    expect(await readProfile(SECRET, value.split('.')[0], NOW)).toBeNull();
  });

  it('is refused when too old, from the future, too long, or not well-formed', async () => {
    const value = await signProfile(SECRET, profile);
    expect(await readProfile(SECRET, value, NOW + PROFILE_LIMITS.maxAgeDays * 86_400 + 1)).toBeNull();
    expect(await readProfile(SECRET, value, NOW - 3_600)).toBeNull();
    expect(await readProfile(SECRET, value + '.'.repeat(PROFILE_LIMITS.cookieChars), NOW)).toBeNull();
    for (const bad of ['', '.', 'a.b.c', '%%%.%%%', '=.=']) expect(await readProfile(SECRET, bad, NOW), bad).toBeNull();
  });

  it('will not sign what the schema refuses', async () => {
    await expect(signProfile(SECRET, { ...profile, i: ['astrology' as never] })).rejects.toThrow();
    await expect(signProfile(SECRET, { ...profile, s: Array(PROFILE_LIMITS.services + 1).fill('hy-jhdj') })).rejects.toThrow();
  });

  it('is found among other cookies, and personalisation needs a long enough secret', () => {
    expect(profileCookieValue('a=1; ywtc_me=xyz; ywtc_mode=elder')).toBe('xyz');
    expect(profileCookieValue('ywtc_mode=elder')).toBeUndefined();
    expect(personalEnabled(undefined)).toBe(false);
    expect(personalEnabled('short')).toBe(false);
    expect(personalEnabled(SECRET)).toBe(true);
  });
});
