/**
 * 定制我的网站 (/_me/ on every site): a plain form — no JavaScript, 适老化-sized in that mode — to pick interest
 * areas, 常用服务 and one's own county or city, and to opt in to "recently read topics". Saving writes only the
 * signed cookie (profile-cookie.ts) and sends the citizen back to the page they came from, where the blocks now
 * show; 清除我的设置 deletes the cookie. Bad input (unknown codes, hundreds of services, a region that does not
 * exist) gets the form again with a 400 that says in Chinese what was not accepted; nothing is saved then.
 */
import type { Context } from 'hono';
import {
  INTEREST_AREAS,
  INTEREST_CODES,
  PROFILE_LIMITS,
  SCENE_CODES,
  SERVICE_SCENES,
  escapeHtml,
  parseSettingsForm,
  profileOf,
  type Profile,
} from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { foreignOrigin, readForm } from '../site/form-post.ts';
import { SameSitePath } from '../site/display-mode.ts';
import { personalEnabled, profileClearCookie, profileCookieValue, profileSetCookie, readProfile, signProfile } from './profile-cookie.ts';
import { portalOf, registry, type SiteEntry } from './registry.ts';
import { inShell } from './shell.ts';

const PATH = '/_me/';
const e = escapeHtml;

interface Issue {
  field: string;
  message: string;
}

const formText = (v: unknown): string => (typeof v === 'string' ? v : '');

async function currentProfile(c: Context<AppEnv>): Promise<Profile | null> {
  const secret = c.env.PERSONAL_SECRET;
  if (!personalEnabled(secret)) return null;
  return readProfile(secret, profileCookieValue(c.req.header('Cookie')), Math.floor(Date.now() / 1000));
}

/** A same-site path to go back to after saving ('/' when absent or not acceptable). */
function backOf(raw: unknown): string {
  const parsed = SameSitePath.safeParse(typeof raw === 'string' && raw !== '' ? raw : '/');
  return parsed.success && !parsed.data.startsWith('/_me') ? parsed.data : '/';
}

export async function settingsPage(c: Context<AppEnv>, opts: { issues?: Issue[]; posted?: FormData; status?: 200 | 400 } = {}): Promise<Response> {
  const site = c.get('site');
  const sites = await registry(c.env.DB);
  const me = sites.get(site.id);
  const title = `定制我的网站_${me?.name ?? ''}`;
  if (!personalEnabled(c.env.PERSONAL_SECRET))
    return inShell(c, site.id, {
      title,
      path: PATH,
      noindex: true,
      main: `<h1 class="text-2xl font-bold text-primary-dark">定制我的网站</h1><p class="me-notice">本平台暂未开启个性化推荐，所有读者看到的页面相同。</p>`,
    });
  const profile = await currentProfile(c);
  const notice = c.req.query('saved') ? '设置已保存。' : c.req.query('cleared') ? '您的设置已全部清除，本站页面恢复为默认内容。' : '';
  // What the form shows: what was just posted (to correct it), else the saved settings, else nothing chosen.
  const posted = opts.posted;
  const chosen = (name: string, saved: readonly string[]) => new Set(posted ? posted.getAll(name).map(String) : saved);
  const interests = chosen('interests', profile?.i ?? []);
  const services = chosen('services', profile?.s ?? []);
  const defaultRegion = portalOf(sites, site.id);
  const region = posted ? formText(posted.get('region')) : (profile?.r ?? (defaultRegion && defaultRegion.kind !== 'province-portal' ? defaultRegion.id : ''));
  const history = posted ? posted.get('history') === 'on' : (profile?.h ?? false);
  const back = backOf(posted ? posted.get('back') : c.req.query('back'));
  const issues = opts.issues ?? [];
  const errorOf = (field: string) =>
    issues
      .filter((i) => i.field === field)
      .map((i) => `<p class="field-error" id="err-${field}">${e(i.message)}</p>`)
      .join('');
  const invalid = (field: string) => (issues.some((i) => i.field === field) ? ` aria-describedby="err-${field}"` : '');
  const box = (name: string, value: string, label: string, on: boolean) =>
    `<label><input type="checkbox" name="${name}" value="${e(value)}"${on ? ' checked' : ''}> ${e(label)}</label>`;
  const servicesByArea = INTEREST_CODES.map((code) => ({ code, scenes: SCENE_CODES.filter((s) => SERVICE_SCENES[s].interest === code) })).filter(
    (g) => g.scenes.length,
  );
  const main = `<h1 class="text-2xl font-bold text-primary-dark">定制我的网站</h1>
${notice ? `<p class="me-notice" role="status">${e(notice)}</p>` : ''}
${issues.length ? `<div class="me-notice" role="alert"><p><strong>设置未保存，请修改以下内容：</strong></p><ul>${issues.map((i) => `<li>${e(i.message)}</li>`).join('')}</ul></div>` : ''}
<p>选择您关注的领域、常用的服务和所在地区，本站首页和文章页会为您推荐相关的政策和资讯，并列出您的常用服务。</p>
<p>您的选择只保存在本浏览器的 Cookie 中（经本站签名，防止篡改），本站不建立个人档案，不记录您是谁，也不记录您的浏览行为；随时可以在本页清除。</p>
<form class="me-form" method="post" action="${e(`${site.base}_me/`)}">
<input type="hidden" name="back" value="${e(back)}">
<fieldset${invalid('interests')}><legend>我关注的领域（最多 ${PROFILE_LIMITS.interests} 项）</legend>${errorOf('interests')}
<div class="choices">${INTEREST_CODES.map((code) => box('interests', code, INTEREST_AREAS[code].name, interests.has(code))).join('')}</div></fieldset>
<fieldset${invalid('services')}><legend>我的常用服务（最多 ${PROFILE_LIMITS.services} 项）</legend>${errorOf('services')}
${servicesByArea
  .map(
    (g) =>
      `<p class="font-bold mt-2">${e(INTEREST_AREAS[g.code].name)}</p><div class="choices">${g.scenes.map((s) => box('services', s, SERVICE_SCENES[s].name, services.has(s))).join('')}</div>`,
  )
  .join('')}</fieldset>
<fieldset${invalid('region')}><legend>我所在的地区</legend>${errorOf('region')}
<label for="me-region">市、县（区）</label> <select id="me-region" name="region">${regionOptions(sites, region)}</select>
<p class="note">推荐会先列出本站、您所在县（区）、所在市和自治区的信息。</p></fieldset>
<fieldset${invalid('history')}><legend>阅读记录</legend>${errorOf('history')}
<label><input type="checkbox" name="history" value="on"${history ? ' checked' : ''}> 记录我最近阅读的主题，用于推荐，并不再推荐已读的文章（只保存在本浏览器，最近 ${PROFILE_LIMITS.readDocuments} 篇）</label></fieldset>
<p><button type="submit">保存设置</button></p>
</form>
<form class="me-form" method="post" action="${e(`${site.base}_me/clear`)}"><input type="hidden" name="back" value="${e(back)}"><p><button type="submit" class="secondary">清除我的设置</button> 清除后本站页面恢复为所有读者相同的默认内容。</p></form>
<p><a href="${e(site.base + back.slice(1))}">返回</a></p>`;
  return inShell(c, site.id, { title, path: PATH, main, noindex: true, status: opts.status ?? 200 });
}

function regionOptions(sites: Map<string, SiteEntry>, selected: string): string {
  const all = [...sites.values()];
  const cities = all.filter((s) => s.kind === 'city-portal');
  const option = (s: SiteEntry, label = s.name.replace(/(人民政府)?(门户)?网站$/, '')) =>
    `<option value="${e(s.id)}"${s.id === selected ? ' selected' : ''}>${e(label)}</option>`;
  return `<option value=""${selected === '' ? ' selected' : ''}>（不选择）</option>${cities
    .map(
      (city) =>
        `<optgroup label="${e(city.name.replace(/(人民政府)?(门户)?网站$/, ''))}">${option(city, `${city.name.replace(/(人民政府)?(门户)?网站$/, '')}（全市）`)}${all
          .filter((s) => s.kind === 'county-portal' && s.parentId === city.id)
          .map((s) => option(s))
          .join('')}</optgroup>`,
    )
    .join('')}`;
}

export async function saveSettings(c: Context<AppEnv>): Promise<Response> {
  const site = c.get('site');
  const secret = c.env.PERSONAL_SECRET;
  if (!personalEnabled(secret)) return settingsPage(c);
  if (foreignOrigin(c)) return settingsPage(c, { issues: [{ field: 'form', message: '只能在本站的“定制我的网站”页面修改设置' }], status: 400 });
  const form = await readForm(c, 64 * 1024);
  if (!form) return settingsPage(c, { issues: [{ field: 'form', message: '表单格式不正确（应为普通网页表单，且不超过 64 KB）' }], status: 400 });
  const sites = await registry(c.env.DB);
  const isRegion = (id: string) => {
    const s = sites.get(id);
    return s !== undefined && (s.kind === 'city-portal' || s.kind === 'county-portal');
  };
  const parsed = parseSettingsForm(form, isRegion);
  if (!parsed.ok) return settingsPage(c, { issues: parsed.issues, posted: form, status: 400 });
  const previous = await currentProfile(c);
  const profile = profileOf(parsed.value, previous, Math.floor(Date.now() / 1000));
  const secure = new URL(c.req.url).protocol === 'https:';
  const back = backOf(form.get('back'));
  const target = site.base + back.slice(1);
  return new Response(null, {
    status: 303,
    headers: {
      'Set-Cookie': profileSetCookie(await signProfile(secret, profile), '/', secure),
      Location: target.replace(/[^\x21-\x7e]+/g, (s) => encodeURIComponent(s)),
      'Cache-Control': 'no-store',
    },
  });
}

export async function clearSettings(c: Context<AppEnv>): Promise<Response> {
  const site = c.get('site');
  if (foreignOrigin(c)) return settingsPage(c, { issues: [{ field: 'form', message: '只能在本站的“定制我的网站”页面清除设置' }], status: 400 });
  return new Response(null, {
    status: 303,
    headers: {
      'Set-Cookie': profileClearCookie('/', new URL(c.req.url).protocol === 'https:'),
      Location: `${site.base}_me/?cleared=1`,
      'Cache-Control': 'no-store',
    },
  });
}
