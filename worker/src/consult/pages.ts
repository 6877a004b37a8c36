/**
 * 留言咨询 on every site that has a 互动交流 column, in the site's own template (personal/shell.ts): /hdjl/ly/ (the
 * form; POST to send) and /hdjl/cx/ (the query code; POST so the code never sits in a URL, a log or a Referer).
 * Plain forms, no JavaScript. A refused post gets the form again, 400, each problem named in Chinese beside its
 * field, with what was typed kept; too many posts from one address are a 429 with Retry-After. The contact
 * details go into their own row and are never shown here nor published; nothing a citizen sends is logged.
 */
import type { Context } from 'hono';
import {
  CONSULT_FIELDS,
  CONSULT_LIMITS,
  CONSULT_STATUS_LABELS,
  escapeHtml,
  formatCode,
  handlingDays,
  normalizeCode,
  parseConsultForm,
  publishedAnswerHtml,
  cstDate,
  type ConsultField,
  type ConsultIssue,
} from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { foreignOrigin, readForm } from '../site/form-post.ts';
import { clientAddress } from '../cms/client-address.ts';
import { registry } from '../personal/registry.ts';
import { inShell } from '../personal/shell.ts';
import { serveSite } from '../site/serve.ts';
import { CHALLENGE_MESSAGES, HONEYPOT, challengeEnabled, checkChallenge, issueChallenge, readChallenge, type Challenge } from './challenge.ts';
import { LIMITS, takeSlots } from './rate.ts';
import { byCode, interactionColumn, publishedBodyOf, receive, type ConsultItem } from './store.ts';

export const FORM_PATH = '/hdjl/ly/';
export const QUERY_PATH = '/hdjl/cx/';
const e = escapeHtml;
const MAX_FORM_BYTES = 32 * 1024;

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function siteName(c: Context<AppEnv>): Promise<string> {
  return (await registry(c.env.DB)).get(c.get('site').id)?.name ?? '';
}

/** A page of a site that takes questions: one with a 互动交流 column at /hdjl/ (every portal and department). */
async function takesQuestions(c: Context<AppEnv>): Promise<boolean> {
  const column = await interactionColumn(c.env.DB, c.get('site').id);
  return column?.slug === 'hdjl';
}

/** A site without a 互动交流 column: whatever the site serves at that path (its own 404 page). */
const notFound = (c: Context<AppEnv>) => serveSite(c, c.get('site').id, c.get('site').path, c.get('site').base);

interface FormState {
  issues?: ConsultIssue[];
  posted?: FormData;
  challenge?: Challenge;
  status?: 200 | 400 | 429;
  retryAfter?: number;
}

export async function consultForm(c: Context<AppEnv>, state: FormState = {}): Promise<Response> {
  const site = c.get('site');
  if (!(await takesQuestions(c))) return notFound(c);
  const name = await siteName(c);
  const title = `我要留言_${name}`;
  const secret = c.env.PERSONAL_SECRET;
  if (!challengeEnabled(secret))
    return inShell(c, site.id, {
      title,
      path: FORM_PATH,
      noindex: true,
      status: 503,
      main: `<h1 class="text-2xl font-bold text-primary-dark">我要留言</h1><p class="me-notice" role="status">网上留言暂时无法提交，请稍后再试。</p>`,
    });
  const challenge = state.challenge ?? (await issueChallenge(secret, site.id, nowSeconds()));
  const issues = state.issues ?? [];
  const value = (field: string) => {
    const v = state.posted?.get(field);
    return typeof v === 'string' ? v : '';
  };
  const errorOf = (field: ConsultField) =>
    issues
      .filter((i) => i.field === field)
      .map((i) => `<span class="field-error" id="err-${field}">${e(i.message)}</span>`)
      .join('');
  const described = (field: ConsultField) => (issues.some((i) => i.field === field) ? ` aria-invalid="true" aria-describedby="err-${field}"` : '');
  const input = (field: 'title' | 'name' | 'phone' | 'email', type: string, max: number, extra = '') =>
    `<div class="field"><label for="ly-${field}">${CONSULT_FIELDS[field]}${extra}</label>${errorOf(field)}<input id="ly-${field}" type="${type}" name="${field}" maxlength="${max}" value="${e(value(field))}"${described(field)}${field === 'title' ? ' required' : ''}${field === 'phone' ? ' autocomplete="tel"' : field === 'email' ? ' autocomplete="email"' : field === 'name' ? ' autocomplete="name"' : ''}></div>`;
  const main = `<h1 class="text-2xl font-bold text-primary-dark">我要留言</h1>
${issues.length ? `<div class="me-notice" role="alert"><p><strong>留言未提交，请修改以下内容：</strong></p><ul>${issues.map((i) => `<li>${e(i.message)}</li>`).join('')}</ul></div>` : ''}
<p>您可以就本单位职责范围内的政策、办事和工作提出咨询或建议。留言由${e(name.replace(/(门户)?网站$/, ''))}的工作人员办理，答复经审核后发布，一般在 ${CONSULT_LIMITS.promiseDays} 个工作日内答复。提交后您会得到一个查询码，凭查询码可在“<a href="../cx/">留言查询</a>”查看办理情况和答复。</p>
<form class="me-form" method="post" action="${e(`${site.base}hdjl/ly/`)}">
<input type="hidden" name="token" value="${e(challenge.token)}">
<div hidden><label for="ly-${HONEYPOT}">请勿填写此项</label><input id="ly-${HONEYPOT}" type="text" name="${HONEYPOT}" tabindex="-1" autocomplete="off"></div>
<fieldset><legend>留言内容</legend>
${input('title', 'text', CONSULT_LIMITS.titleMax, `（${CONSULT_LIMITS.titleMin}—${CONSULT_LIMITS.titleMax} 个字）`)}
<div class="field"><label for="ly-question">${CONSULT_FIELDS.question}（${CONSULT_LIMITS.questionMin}—${CONSULT_LIMITS.questionMax} 个字）</label>${errorOf('question')}<textarea id="ly-question" name="question" rows="8" maxlength="${CONSULT_LIMITS.questionMax}" required${described('question')}>${e(value('question'))}</textarea></div>
<p class="note">请勿在留言内容中填写身份证号、电话等个人信息；答复选登时，内容中的号码和邮箱会被隐去。</p>
</fieldset>
<fieldset${issues.some((i) => i.field === 'contact') ? ' aria-describedby="err-contact"' : ''}><legend>联系方式（仅用于答复，不公开）</legend>${errorOf('contact')}
${input('name', 'text', 20, '（选填）')}
${input('phone', 'tel', 20, '')}
${input('email', 'email', 100, '')}
<p class="note">联系电话和电子邮箱至少填写一项。</p>
</fieldset>
<fieldset><legend>提交前确认</legend>
<div class="field"><label for="ly-answer">${CONSULT_FIELDS.challenge}：${challenge.a} 加 ${challenge.b} 等于多少？（请填写数字）</label>${errorOf('challenge')}<input id="ly-answer" type="text" name="answer" inputmode="numeric" maxlength="3" autocomplete="off" required${described('challenge')}></div>
${errorOf('consent')}<label><input type="checkbox" name="consent" value="on"${value('consent') === 'on' ? ' checked' : ''}${described('consent')}> 我已阅读并同意：姓名、联系电话和电子邮箱只用于答复本留言，只有办理单位的工作人员可以查看，不公开、不用于其他用途，自留言之日起 ${CONSULT_LIMITS.contactRetentionDays / 365} 年后删除；留言标题和内容（隐去个人信息）可能与答复一起在本站“互动交流”栏目选登。</label>
</fieldset>
<p><button type="submit">提交留言</button></p>
</form>`;
  return inShell(c, site.id, {
    title,
    path: FORM_PATH,
    main,
    noindex: true,
    status: state.status ?? 200,
    ...(state.retryAfter ? { headers: { 'Retry-After': String(state.retryAfter) } } : {}),
  });
}

export async function submitConsult(c: Context<AppEnv>): Promise<Response> {
  const site = c.get('site');
  if (!(await takesQuestions(c))) return notFound(c);
  const secret = c.env.PERSONAL_SECRET;
  if (!challengeEnabled(secret)) return consultForm(c);
  if (foreignOrigin(c)) return consultForm(c, { issues: [{ field: 'form', message: '表单：只能在本站的“我要留言”页面提交' }], status: 400 });
  const form = await readForm(c, MAX_FORM_BYTES);
  if (!form)
    return consultForm(c, { issues: [{ field: 'form', message: `表单：格式不正确（应为普通网页表单，且不超过 ${MAX_FORM_BYTES / 1024} KB）` }], status: 400 });
  const now = nowSeconds();
  const token = form.get('token');
  // A refused post shows the same sum again when its token is still ours and fresh, else a new one.
  const shown = typeof token === 'string' ? await readChallenge(secret, site.id, token) : null;
  const again = shown && now - shown.issued < 3600 ? shown : undefined;
  const parsed = parseConsultForm(form);
  const verdict = await checkChallenge(secret, site.id, { token, answer: form.get('answer'), honeypot: form.get(HONEYPOT) }, now);
  const issues: ConsultIssue[] = parsed.ok ? [] : [...parsed.issues];
  if (verdict !== 'ok') issues.push({ field: verdict === 'bot' ? 'form' : 'challenge', message: CHALLENGE_MESSAGES[verdict] });
  if (issues.length || !parsed.ok)
    return consultForm(c, { issues, posted: form, status: 400, ...(again && verdict !== 'invalid' ? { challenge: again } : {}) });
  // A token that already carried a question does not carry another (a script replaying one solved form).
  if ((await takeSlots(c.env.DB, [LIMITS.tokenOnce(typeof token === 'string' ? token : '')])) > 0)
    return consultForm(c, { issues: [{ field: 'challenge', message: CHALLENGE_MESSAGES.used }], posted: form, status: 400 });
  const wait = await takeSlots(c.env.DB, [LIMITS.askPerAddress(clientAddress(c)), LIMITS.askPerSite(site.id)]);
  if (wait > 0)
    return consultForm(c, {
      issues: [{ field: 'form', message: `表单：提交过于频繁，请在 ${Math.ceil(wait / 60)} 分钟后再试` }],
      posted: form,
      status: 429,
      retryAfter: wait,
    });
  const { code } = await receive(c.env.DB, site.id, parsed.value);
  const name = await siteName(c);
  return inShell(c, site.id, {
    title: `留言已提交_${name}`,
    path: FORM_PATH,
    noindex: true,
    main: `<h1 class="text-2xl font-bold text-primary-dark">留言已提交</h1>
<div class="me-notice" role="status"><p>您的留言已收到。请记下查询码（本站不会再次显示）：</p><p class="consult-code">${e(formatCode(code))}</p></div>
<p>留言经办理和审核后答复。凭查询码可在“<a href="../cx/">留言查询</a>”查看办理情况和答复内容。</p>
<p><a href="../">返回互动交流</a></p>`,
  });
}

function resultOf(item: ConsultItem, publishedBody: string | null, base: string): string {
  const rows: [string, string][] = [
    ['留言标题', e(item.title)],
    ['留言时间', cstDate(item.receivedAt)],
    ['办理状态', CONSULT_STATUS_LABELS[item.status]],
  ];
  let answer = '';
  if (item.publishedAt && publishedBody) {
    rows.push(
      ['答复单位', e(item.answerUnit ?? '')],
      ['答复时间', cstDate(item.publishedAt)],
      ['办理时长', `${handlingDays(item.receivedAt, item.publishedAt)} 天`],
    );
    // The answer as reviewed and published (sanitized by the schema when it was saved), not the editor's first draft.
    answer = `<h2 class="text-xl font-bold mt-4">答复内容</h2>${publishedAnswerHtml(publishedBody)}${item.documentId && item.columnSlug ? `<p><a href="${e(`${base}${item.columnSlug}/${item.documentId}.html`)}">查看选登页面</a></p>` : ''}`;
  }
  return `<table class="meta-table w-full mb-6" aria-label="办理情况"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>${answer}`;
}

export async function queryPage(
  c: Context<AppEnv>,
  state: { code?: string; result?: string; issue?: string; status?: 200 | 400 | 404 | 429; retryAfter?: number } = {},
) {
  const site = c.get('site');
  if (!(await takesQuestions(c))) return notFound(c);
  const name = await siteName(c);
  const main = `<h1 class="text-2xl font-bold text-primary-dark">留言查询</h1>
${state.issue ? `<div class="me-notice" role="alert"><p>${e(state.issue)}</p></div>` : ''}
<form class="me-form" method="post" action="${e(`${site.base}hdjl/cx/`)}">
<div class="field"><label for="cx-code">${CONSULT_FIELDS.code}（提交留言时得到的 12 位字母和数字）</label><input id="cx-code" type="text" name="code" maxlength="20" autocomplete="off" value="${e(state.code ?? '')}" required${state.issue ? ' aria-invalid="true"' : ''}></div>
<p><button type="submit">查询</button></p>
</form>
${state.result ?? ''}
<p><a href="../ly/">我要留言</a> · <a href="../">返回互动交流</a></p>`;
  return inShell(c, site.id, {
    title: `留言查询_${name}`,
    path: QUERY_PATH,
    main,
    noindex: true,
    status: state.status ?? 200,
    ...(state.retryAfter ? { headers: { 'Retry-After': String(state.retryAfter) } } : {}),
  });
}

export async function lookUp(c: Context<AppEnv>): Promise<Response> {
  const site = c.get('site');
  if (!(await takesQuestions(c))) return notFound(c);
  if (foreignOrigin(c)) return queryPage(c, { issue: '表单：只能在本站的“留言查询”页面查询', status: 400 });
  const form = await readForm(c, MAX_FORM_BYTES);
  const raw = form?.get('code');
  const code = typeof raw === 'string' ? normalizeCode(raw) : null;
  if (!code)
    return queryPage(c, {
      issue: `${CONSULT_FIELDS.code}：应为提交留言时得到的 12 位字母和数字`,
      code: typeof raw === 'string' ? raw.slice(0, 20) : '',
      status: 400,
    });
  const wait = await takeSlots(c.env.DB, [LIMITS.lookupPerAddress(clientAddress(c))]);
  if (wait > 0) return queryPage(c, { issue: `查询过于频繁，请在 ${Math.ceil(wait / 60)} 分钟后再试`, status: 429, retryAfter: wait });
  const item = await byCode(c.env.DB, site.id, code);
  if (!item)
    return queryPage(c, {
      issue: `${CONSULT_FIELDS.code}：没有找到这个查询码对应的留言，请核对（查询码只在留言的网站有效）`,
      code: formatCode(code),
      status: 404,
    });
  return queryPage(c, { code: formatCode(code), result: resultOf(item, await publishedBodyOf(c.env.DB, item), site.base) });
}
