/**
 * 留言咨询 (互动交流): a citizen's question to a unit, answered through the CMS like any content. Defined once here:
 * what the public form accepts, the stored question and — apart from it — the contact details a reply needs
 * (never published, kept for a limited time), the editor's answer, and the 留言选登 draft an answer becomes
 * (question without personal data, the answer, the answering unit, the dates), which then goes through 分级审核.
 */
import { z } from 'zod';
import { defineAccess } from './access.ts';
import { DocumentIdSchema } from './document.ts';
import { SiteIdSchema } from './site.ts';
import { InstantSchema, cstDate } from './time.ts';
import { text } from './text.ts';
import { escapeHtml } from './sanitize.ts';
import type { Draft } from './cms-document.ts';

export const CONSULT_LIMITS = {
  titleMin: 4,
  titleMax: 50,
  questionMin: 10,
  questionMax: 2000,
  answerMin: 10,
  answerMax: 4000,
  /** The national inspection's line: a question not answered within 3 months vetoes the site. */
  overdueDays: 90,
  /** The answer is due within this many working days' worth of calendar days (shown to the citizen). */
  promiseDays: 15,
  /** Contact details are deleted this long after the question came in (reply and any follow-up done by then). */
  contactRetentionDays: 365,
} as const;

/** Field names of the form and the Chinese name a refusal uses for each. */
export const CONSULT_FIELDS = {
  title: '留言标题',
  question: '留言内容',
  name: '姓名',
  phone: '联系电话',
  email: '电子邮箱',
  contact: '联系方式',
  consent: '个人信息处理说明',
  challenge: '验证问题',
  form: '表单',
  code: '查询码',
  answer: '答复内容',
} as const;
export type ConsultField = keyof typeof CONSULT_FIELDS;

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/;
const EMAIL = /^[^\s@<>"]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** What the public form accepts: only what a reply needs (a name is optional; a phone number or an e-mail address). */
export const ConsultFormSchema = z
  .object({
    title: text()
      .trim()
      .min(CONSULT_LIMITS.titleMin, `至少 ${CONSULT_LIMITS.titleMin} 个字`)
      .max(CONSULT_LIMITS.titleMax, `不能超过 ${CONSULT_LIMITS.titleMax} 个字`),
    question: text()
      .trim()
      .min(CONSULT_LIMITS.questionMin, `至少 ${CONSULT_LIMITS.questionMin} 个字`)
      .max(CONSULT_LIMITS.questionMax, `不能超过 ${CONSULT_LIMITS.questionMax} 个字`),
    name: text().trim().max(20, '不能超过 20 个字').default(''),
    phone: text()
      .trim()
      .max(20, '格式不正确')
      .default('')
      .refine((v) => v === '' || PHONE.test(v), '格式不正确，应为手机号或带区号的固定电话'),
    email: text()
      .trim()
      .max(100, '不能超过 100 个字符')
      .default('')
      .refine((v) => v === '' || EMAIL.test(v), '格式不正确'),
    consent: z.literal('on', { error: '请阅读并同意后再提交' }),
  })
  .superRefine((f, ctx) => {
    if (!f.phone && !f.email) ctx.addIssue({ code: 'custom', path: ['contact'], message: '请至少填写联系电话或电子邮箱中的一项，以便答复' });
  });
export type ConsultForm = z.infer<typeof ConsultFormSchema>;

export interface ConsultIssue {
  field: ConsultField;
  message: string;
}

/** The form as the schema reads it: values, or every problem named by its field in Chinese. */
export function parseConsultForm(form: FormData): { ok: true; value: ConsultForm } | { ok: false; issues: ConsultIssue[] } {
  const one = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const parsed = ConsultFormSchema.safeParse({
    title: one('title') ?? '',
    question: one('question') ?? '',
    name: one('name'),
    phone: one('phone'),
    email: one('email'),
    consent: one('consent'),
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues: ConsultIssue[] = [];
  for (const i of parsed.error.issues) {
    const field = (String(i.path[0] ?? 'form') in CONSULT_FIELDS ? String(i.path[0]) : 'form') as ConsultField;
    if (!issues.some((x) => x.field === field)) issues.push({ field, message: `${CONSULT_FIELDS[field]}：${i.message}` });
  }
  return { ok: false, issues };
}

export const ConsultIdSchema = z.string().regex(/^ly-[a-z0-9-]{6,60}$/);

/** A question as stored: no name, phone or e-mail here (ConsultContactSchema), only what may be published after review. */
export const ConsultMessageSchema = z.object({
  id: ConsultIdSchema,
  siteId: SiteIdSchema,
  /** SHA-256 of the query code the citizen was given; the code itself is never stored. */
  codeHash: z.string().regex(/^[0-9a-f]{64}$/),
  title: text().min(1).max(CONSULT_LIMITS.titleMax),
  question: text().min(1).max(CONSULT_LIMITS.questionMax),
  receivedAt: InstantSchema,
  /** The 留言选登 document the answer became (its state and publish time are the CMS's). */
  documentId: DocumentIdSchema.nullable(),
  /** The unit that answered, as printed on the published item. */
  /** The editor's answer as written (the published item carries it as reviewed; the query page shows it once published). */
  answer: text().max(CONSULT_LIMITS.answerMax).nullable(),
  answerUnit: text().max(80).nullable(),
  answeredAt: InstantSchema.nullable(),
  /** The Q&A entry made from the published answer, if any. */
  qaEntryId: z.string().max(80).nullable(),
});
export type ConsultMessage = z.infer<typeof ConsultMessageSchema>;

/** The contact details of one question, apart from it: read only by the site's editors, deleted after `purgeAfter`. */
export const ConsultContactSchema = z.object({
  messageId: ConsultIdSchema,
  name: text().max(20).nullable(),
  phone: text().max(20).nullable(),
  email: text().max(100).nullable(),
  purgeAfter: InstantSchema,
});
export type ConsultContact = z.infer<typeof ConsultContactSchema>;

/** The editor's answer (admin form). */
export const ConsultAnswerInputSchema = z.object({
  answer: text()
    .trim()
    .min(CONSULT_LIMITS.answerMin, `${CONSULT_FIELDS.answer}：至少 ${CONSULT_LIMITS.answerMin} 个字`)
    .max(CONSULT_LIMITS.answerMax, `${CONSULT_FIELDS.answer}：不能超过 ${CONSULT_LIMITS.answerMax} 个字`),
});

/** Where a question stands, from its answer document's state. */
export type ConsultStatus = 'open' | 'in-review' | 'answered' | 'withdrawn';
export const CONSULT_STATUS_LABELS: Record<ConsultStatus, string> = {
  open: '待办理',
  'in-review': '答复审核中',
  answered: '已答复',
  withdrawn: '答复已撤回',
};
export function consultStatus(documentState: string | null): ConsultStatus {
  if (documentState === null) return 'open';
  if (documentState === 'published') return 'answered';
  if (documentState === 'withdrawn') return 'withdrawn';
  return 'in-review';
}

const DAY_MS = 86_400_000;
/** 办理时长 in whole days elapsed (0 the first 24 hours): from the question to the published answer, or to `now`. */
export function handlingDays(receivedAt: string, until: string): number {
  return Math.max(0, Math.floor((Date.parse(until) - Date.parse(receivedAt)) / DAY_MS));
}
export const isOverdue = (receivedAt: string, publishedAt: string | null, now: Date): boolean =>
  publishedAt === null && now.getTime() - Date.parse(receivedAt) > CONSULT_LIMITS.overdueDays * DAY_MS;

/**
 * What may be published of a citizen's text: phone numbers, ID-card and other long numbers and e-mail addresses
 * a citizen typed into the question itself are hidden, so only the contact fields (never published) hold them.
 */
const DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;
export function withoutPersonalData(s: string): string {
  return s
    .replace(/[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+/g, '〔已隐去〕')
    .replace(/\d[\d\s-]{5,}[\dXx]/g, (m) => (m.replace(/\D/g, '').length >= 7 && !DATE.test(m) ? '〔已隐去〕' : m));
}

const paragraphs = (s: string) =>
  s
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('');

/** The 留言选登 item an answer becomes: a draft in the site's 互动交流 column that goes through review like any other. */
export function consultDraft(m: Pick<ConsultMessage, 'title' | 'question' | 'receivedAt'>, answer: string, unit: string, answeredAt: string): Draft {
  const title = withoutPersonalData(m.title);
  const question = withoutPersonalData(m.question);
  const days = handlingDays(m.receivedAt, answeredAt);
  return {
    kind: 'article',
    title: `网民留言选登：${title}`,
    bodyHtml:
      `<h2>留言内容</h2>${paragraphs(question)}<p>留言时间：${cstDate(m.receivedAt)}</p>` +
      `<h2>答复内容</h2>${paragraphs(answer)}<p>答复单位：${escapeHtml(unit)}</p><p>答复时间：${cstDate(answeredAt)}（办理时长 ${days} 天）</p>`,
    summary: question.slice(0, 120),
    keywords: ['留言选登'],
    author: '',
    source: unit,
    sourceUrl: null,
    attachments: [],
    indexNumber: null,
    issuer: null,
    docNumber: null,
    writtenOn: null,
    topic: null,
    subjectWords: [],
    validity: null,
    interests: [],
    guide: null,
    interprets: null,
  };
}

/**
 * The answer as published — after review, which may have changed it — from a 留言选登 body: the part under
 * 答复内容 up to the 答复单位 line, or the whole body when an editor restructured it. Already sanitized HTML.
 */
export function publishedAnswerHtml(bodyHtml: string): string {
  const start = bodyHtml.indexOf('<h2>答复内容</h2>');
  if (start < 0) return bodyHtml;
  const from = start + '<h2>答复内容</h2>'.length;
  const end = bodyHtml.indexOf('<p>答复单位：', from);
  return bodyHtml.slice(from, end < 0 ? undefined : end);
}

/** Plain text of sanitized HTML, a line per paragraph (for a Q&A entry's answer). */
export function plainText(html: string): string {
  return html
    .replace(/<\/(p|h\d|li|div)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}

/** The query code: 12 characters without look-alikes (0/O, 1/I/L), shown in groups of four. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const normalizeCode = (raw: string): string | null => {
  const s = raw.toUpperCase().replace(/[\s-]/g, '');
  return s.length === 12 && [...s].every((ch) => CODE_ALPHABET.includes(ch)) ? s : null;
};
export const formatCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;

/**
 * The citizen asks (everyone); the unit's editors (and its site admins) read the queue with the contact
 * details and write answers; the answer's review is the document workflow's own (分级审核).
 */
export const CONSULT_ACCESS = defineAccess({
  ask: { who: ['anonymous', 'staff', 'machine', 'unit', 'apiKey'] },
  read: { who: ['staff'], action: 'consult.answer' },
  answer: { who: ['staff'], action: 'consult.answer' },
});
