import { describe, expect, it } from 'vitest';
import { DocNumberSchema, DocumentSchema, IndexNumberSchema, formatPublishTime, isColumnOverdue, type DocumentInput } from '../src/index.ts';

const policy: DocumentInput = {
  id: 'p00001',
  kind: 'policy',
  title: '国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见',
  bodyHtml: '<p>正文</p>',
  summary: '摘要',
  keywords: [],
  author: '',
  source: '中国政府网',
  sourceUrl: 'http://www.gov.cn/zhengce/content/2019-02/15/content_5365934.htm',
  publishedAt: '2019-02-15T00:00:00+08:00',
  attachments: [],
  ownerSiteId: 'gxzf',
  isDemo: false,
  indexNumber: '000014349/2019-00007',
  issuer: '国务院',
  docNumber: '国发〔2019〕5号',
  writtenOn: '2019-01-27',
  issuedOn: '2019-02-15',
  topic: '市场监管',
  subjectWords: [],
  validity: '有效',
  interests: [],
  guide: null,
};
const fields = (r: { error?: { issues: { path: PropertyKey[] }[] } }) => (r.error?.issues ?? []).map((i) => i.path.join('.'));

describe('DocumentSchema', () => {
  it('accepts a policy with its 政务公开 metadata', () => {
    expect(DocumentSchema.safeParse(policy).success).toBe(true);
  });
  it('sanitizes the body on the way in', () => {
    const d = DocumentSchema.parse({ ...policy, bodyHtml: '<p onclick="x()">正文<script>alert(1)</script></p>' });
    expect(d.bodyHtml).toBe('<p>正文</p>');
  });
  it.each([
    ['issuer', { issuer: null }],
    ['writtenOn', { writtenOn: '2019-03-01' }], // 成文日期 after 发布日期
    ['docNumber', { docNumber: '国发2019年5号' }],
    ['indexNumber', { indexNumber: '2019-7' }],
    ['validity', { validity: '过期' }],
    ['publishedAt', { publishedAt: '2019-02-15 10:00' }],
    ['title', { isDemo: true }], // demo items must say 示例
    ['sourceUrl', { sourceUrl: 'javascript:alert(1)' }],
  ])('rejects a bad %s and names the field', (field, patch) => {
    const r = DocumentSchema.safeParse({ ...policy, ...patch });
    expect(fields(r)).toContain(field);
  });
});

describe('document numbers and index numbers', () => {
  it.each([
    '桂政办发〔2021〕120号',
    '国发〔2019〕5号',
    '国办发明电〔2018〕15号',
    '国令第707号',
    '河北省人民政府令〔2002〕第16号',
    '中华人民共和国国务院令第728号',
  ])('accepts %s', (n) => {
    expect(DocNumberSchema.safeParse(n).success).toBe(true);
  });
  it.each(['桂政办发[2021]120号', '120号', '桂政办发〔21〕120号'])('keeps only the canonical form, rejecting %s', (n) => {
    expect(DocNumberSchema.safeParse(n).success).toBe(false);
  });
  it('checks 索引号 form', () => {
    expect(IndexNumberSchema.safeParse('000014349/2019-00007').success).toBe(true);
    expect(IndexNumberSchema.safeParse('000014349/2020-405310').success).toBe(true); // gxzf.gov.cn's six-digit serials
    expect(IndexNumberSchema.safeParse('000014349/2020-4053101').success).toBe(false);
    expect(IndexNumberSchema.safeParse('000014349-2019-7').success).toBe(false);
  });
});

describe('time', () => {
  it('shows publish times as YYYY-MM-DD HH:MM in China time', () => {
    expect(formatPublishTime('2026-11-27T23:30:00Z')).toBe('2026-11-28 07:30');
    expect(formatPublishTime('2019-02-15T00:00:00+08:00')).toBe('2019-02-15 00:00');
  });
});

describe('column update rules', () => {
  const now = new Date('2026-11-28T00:00:00Z');
  it('要闻 must be updated within two weeks, 通知公告 within six months; empty columns always fail', () => {
    expect(isColumnOverdue('news', new Date('2026-11-20T00:00:00Z'), now)).toBe(false);
    expect(isColumnOverdue('news', new Date('2026-11-01T00:00:00Z'), now)).toBe(true);
    expect(isColumnOverdue('notice', new Date('2026-07-01T00:00:00Z'), now)).toBe(false);
    expect(isColumnOverdue('notice', new Date('2026-04-01T00:00:00Z'), now)).toBe(true);
    expect(isColumnOverdue('overview', new Date('2010-01-01T00:00:00Z'), now)).toBe(false);
    expect(isColumnOverdue('overview', null, now)).toBe(true);
  });
});
