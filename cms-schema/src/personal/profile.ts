/**
 * A citizen's own settings (千人千网), kept only in a cookie the Worker signs — never in a server-side profile.
 * The least the recommendations need (个人信息保护法: 最小必要): chosen interest areas and services, the
 * county or city the citizen picks, and — only after an explicit opt-in — the topics of what they read recently
 * and short hashes of those documents (so what was read is not recommended again). No name, no account, no
 * address, nothing that links the cookie to a person; the field names are short because the whole value
 * travels with every page request.
 */
import { z } from 'zod';
import { SiteIdSchema } from '../site.ts';
import { InterestCodeSchema, SceneCodeSchema, type InterestCode, type SceneCode } from './interests.ts';

export const PROFILE_LIMITS = {
  interests: 8,
  services: 12,
  recentTopics: 10,
  readDocuments: 30,
  /** A cookie value longer than this is not ours (or was tampered with): ignored unread. */
  cookieChars: 1_500,
  /** Settings older than this are treated as gone (the cookie itself lives 180 days, refreshed on save). */
  maxAgeDays: 400,
} as const;

export const PROFILE_VERSION = 1;

/** The stored form. `v` is the format version: an old or unknown format is ignored, not guessed at. */
export const ProfileSchema = z.object({
  v: z.literal(PROFILE_VERSION),
  /** Interest areas the citizen chose. */
  i: z.array(InterestCodeSchema).max(PROFILE_LIMITS.interests),
  /** 常用服务 the citizen chose. */
  s: z.array(SceneCodeSchema).max(PROFILE_LIMITS.services),
  /** The citizen's own county or city (a portal's site id), or none. */
  r: SiteIdSchema.nullable(),
  /** Opted in to "recently read topics". */
  h: z.boolean(),
  /** Recently read topics, newest first (only with h). */
  t: z.array(InterestCodeSchema).max(PROFILE_LIMITS.recentTopics),
  /** Short hashes of recently read documents, newest first (only with h). */
  d: z.array(z.string().regex(/^[0-9a-z]{1,8}$/)).max(PROFILE_LIMITS.readDocuments),
  /** When the settings were saved (seconds since the epoch). */
  at: z.int().min(0),
});
export type Profile = z.infer<typeof ProfileSchema>;

export interface ProfileChoice {
  interests: InterestCode[];
  services: SceneCode[];
  region: string | null;
  history: boolean;
}

/** A short, stable hash of a string (32-bit FNV-1a, base 36). */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** A document id's short hash: enough to recognise "already read" without naming the document. */
export const readHash = (documentId: string): string => shortHash(documentId);

/** After the citizen (opted in) read a document: its topics and hash go first, oldest fall off. */
export function noteRead(p: Profile, documentId: string, topics: readonly InterestCode[]): Profile {
  if (!p.h) return p;
  const hash = readHash(documentId);
  const d = [hash, ...p.d.filter((x) => x !== hash)].slice(0, PROFILE_LIMITS.readDocuments);
  const t = [...new Set([...topics, ...p.t])].slice(0, PROFILE_LIMITS.recentTopics);
  return { ...p, d, t };
}

/**
 * The settings form as posted (application/x-www-form-urlencoded, repeated names for the check boxes). Every
 * problem names the field in Chinese; unknown codes are reported, not silently dropped.
 */
export function parseSettingsForm(
  form: { getAll(name: string): unknown[] },
  regionExists: (siteId: string) => boolean,
): { ok: true; value: ProfileChoice } | { ok: false; issues: { field: string; message: string }[] } {
  const issues: { field: string; message: string }[] = [];
  const strings = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
  const codes = <T extends string>(name: string, schema: z.ZodType<T>, max: number, label: string): T[] => {
    const raw = strings(name);
    if (raw.length > max) {
      issues.push({ field: name, message: `${label}最多选 ${max} 项，您选了 ${raw.length} 项，设置未保存` });
      return [];
    }
    const unknown = raw.filter((c) => !schema.safeParse(c).success);
    if (unknown.length)
      issues.push({
        field: name,
        message: `无法识别的${label}：${unknown
          .slice(0, 5)
          .map((c) => `“${c.slice(0, 20)}”`)
          .join('、')}${unknown.length > 5 ? ' 等' : ''}`,
      });
    return [...new Set(raw.filter((c) => schema.safeParse(c).success))] as T[];
  };
  const interests = codes('interests', InterestCodeSchema, PROFILE_LIMITS.interests, '兴趣领域');
  const services = codes('services', SceneCodeSchema, PROFILE_LIMITS.services, '常用服务');
  const regions = strings('region');
  let region: string | null = null;
  if (regions.length > 1) issues.push({ field: 'region', message: '所在地区只能选一个' });
  else if (regions[0]) {
    if (SiteIdSchema.safeParse(regions[0]).success && regionExists(regions[0])) region = regions[0];
    else issues.push({ field: 'region', message: `没有这个地区：“${regions[0].slice(0, 30)}”` });
  }
  const history = strings('history');
  if (history.some((h) => h !== 'on')) issues.push({ field: 'history', message: '“记录最近阅读的主题”只能勾选或不勾选' });
  if (issues.length) return { ok: false, issues };
  return { ok: true, value: { interests, services, region, history: history.includes('on') } };
}

/** The profile a choice makes; a citizen who turns history off loses what was recorded at once. */
export function profileOf(choice: ProfileChoice, previous: Profile | null, nowSeconds: number): Profile {
  const keep = choice.history && previous?.h;
  return {
    v: PROFILE_VERSION,
    i: choice.interests,
    s: choice.services,
    r: choice.region,
    h: choice.history,
    t: keep ? previous.t : [],
    d: keep ? previous.d : [],
    at: nowSeconds,
  };
}
