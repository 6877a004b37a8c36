/** 留言咨询's pure parts: the form's refusals by field, what may be published of a citizen's text, query codes, the draft. */
import { describe, expect, it } from 'vitest';
import {
  DraftSchema,
  consultDraft,
  formatCode,
  handlingDays,
  isOverdue,
  normalizeCode,
  parseConsultForm,
  plainText,
  publishedAnswerHtml,
  withoutPersonalData,
} from '../src/index.ts';

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe('the 留言 form', () => {
  it('accepts a question with a phone number or an e-mail address, and consent', () => {
    const r = parseConsultForm(form({ title: '公积金提取咨询', question: '请问租房提取公积金需要什么材料？', phone: '0771-5551234', consent: 'on' }));
    expect(r.ok && r.value).toMatchObject({ name: '', phone: '0771-5551234', email: '' });
  });

  it('names every refused field in Chinese, once each', () => {
    const r = parseConsultForm(form({ title: 'x', question: '', email: 'not-mail', phone: '123' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.field).sort()).toEqual(['consent', 'email', 'phone', 'question', 'title']);
    expect(r.issues.find((i) => i.field === 'title')!.message).toBe('留言标题：至少 4 个字');
  });

  it('asks for a way to reply when neither phone nor e-mail is given', () => {
    const r = parseConsultForm(form({ title: '公积金提取咨询', question: '请问租房提取公积金需要什么材料？', consent: 'on' }));
    expect(!r.ok && r.issues).toEqual([{ field: 'contact', message: '联系方式：请至少填写联系电话或电子邮箱中的一项，以便答复' }]);
  });
});

describe('what may be published of a citizen’s text', () => {
  it('hides phone, ID-card and other long numbers and e-mail addresses, keeps dates, years and amounts', () => {
    expect(withoutPersonalData('电话13812345678或0771-5551234，身份证45010219900101123X，邮箱a.b@example.com')).toBe(
      '电话〔已隐去〕或〔已隐去〕，身份证〔已隐去〕，邮箱〔已隐去〕',
    );
    expect(withoutPersonalData('2026-12-05 起缴费满15年，补贴20万元，2026年')).toBe('2026-12-05 起缴费满15年，补贴20万元，2026年');
  });

  it('makes a 留言选登 draft the CMS accepts: question without personal data, answer, unit, dates', () => {
    const draft = consultDraft(
      { title: '养老保险咨询', question: '我的电话13812345678，请问<b>缴费</b>年限？', receivedAt: '2026-11-01T02:00:00.000Z' },
      '满15年。\n可按月领取。',
      '南宁市兴宁区人民政府',
      '2026-11-05T02:00:00.000Z',
    );
    expect(DraftSchema.safeParse(draft).success).toBe(true);
    expect(draft.title).toBe('网民留言选登：养老保险咨询');
    expect(draft.bodyHtml).toContain('<p>我的电话〔已隐去〕，请问&lt;b&gt;缴费&lt;/b&gt;年限？</p>');
    expect(draft.bodyHtml).toContain('<p>满15年。</p><p>可按月领取。</p>');
    expect(draft.bodyHtml).toContain('答复单位：南宁市兴宁区人民政府');
    expect(draft.bodyHtml).toContain('答复时间：2026-11-05（办理时长 4 天）');
    expect(draft.source).toBe('南宁市兴宁区人民政府');
  });
});

describe('the answer as published', () => {
  it('is the part under 答复内容 up to the 答复单位 line, as text for a Q&A entry', () => {
    const draft = consultDraft(
      { title: '咨询', question: '问题内容足够长吗？', receivedAt: '2026-11-01T02:00:00.000Z' },
      'A & B\n第二段',
      '某单位',
      '2026-11-02T02:00:00.000Z',
    );
    expect(publishedAnswerHtml(draft.bodyHtml)).toBe('<p>A &amp; B</p><p>第二段</p>');
    expect(plainText(publishedAnswerHtml(draft.bodyHtml))).toBe('A & B\n第二段');
    expect(publishedAnswerHtml('<p>编辑重写的正文</p>')).toBe('<p>编辑重写的正文</p>');
  });
});

describe('query codes and response times', () => {
  it('reads a code typed in any case, with spaces or dashes, and refuses look-alikes and wrong lengths', () => {
    expect(normalizeCode('abcd efgh-jkmn')).toBe('ABCDEFGHJKMN');
    expect(formatCode('ABCDEFGHJKMN')).toBe('ABCD-EFGH-JKMN');
    expect(normalizeCode('ABCD-EFGH-JKM0')).toBeNull(); // 0 is not in the alphabet (O/0 look alike)
    expect(normalizeCode('ABCD-EFGH')).toBeNull();
  });

  it('counts whole days and flags a question waiting more than 90 days', () => {
    expect(handlingDays('2026-01-01T00:00:00Z', '2026-01-01T23:00:00Z')).toBe(0);
    expect(handlingDays('2026-01-01T00:00:00Z', '2026-01-16T01:00:00Z')).toBe(15);
    const now = new Date('2026-05-01T00:00:00Z');
    expect(isOverdue('2026-01-01T00:00:00Z', null, now)).toBe(true);
    expect(isOverdue('2026-01-01T00:00:00Z', '2026-01-20T00:00:00Z', now)).toBe(false);
    expect(isOverdue('2026-03-01T00:00:00Z', null, now)).toBe(false);
  });
});
