/** Calendar days are China Standard Time days: at 23:59 and 00:01 Beijing time, on both sides of midnight UTC+8. */
import { describe, expect, it } from 'vitest';
import { checkDraft, compileLists, cstDate, cstYear, formatPublishTime } from '../src/index.ts';

describe('China Standard Time days', () => {
  it('puts 00:01 Beijing time on the new day though UTC is still on the previous one', () => {
    const justAfter = '2025-12-31T16:01:00.000Z'; // 2026-01-01 00:01 CST
    expect(cstDate(justAfter)).toBe('2026-01-01');
    expect(cstYear(justAfter)).toBe(2026);
    expect(formatPublishTime(justAfter)).toBe('2026-01-01 00:01');
    expect(justAfter.slice(0, 10)).toBe('2025-12-31'); // what a UTC slice would have said
  });

  it('keeps 23:59 Beijing time on its own day though UTC is already past 15:59', () => {
    const justBefore = '2026-01-01T15:59:00.000Z'; // 2026-01-01 23:59 CST
    expect(cstDate(justBefore)).toBe('2026-01-01');
    expect(cstDate(new Date(Date.parse(justBefore) + 2 * 60_000))).toBe('2026-01-02');
    expect(cstDate('2026-01-01T23:59:00+08:00')).toBe('2026-01-01');
  });

  it('judges 成文日期 in the future by the China day', () => {
    const draft = {
      kind: 'policy',
      title: '关于调整的通知',
      bodyHtml: '<p>正文</p>',
      summary: '',
      keywords: [],
      author: '',
      source: '南宁市人民政府',
      sourceUrl: null,
      attachments: [],
      indexNumber: '450100001/2026-00001',
      issuer: '南宁市人民政府',
      docNumber: '南府〔2026〕1号',
      topic: null,
      subjectWords: [],
      validity: null,
      interprets: null,
    };
    const lists = compileLists([]);
    // On 2026-01-01 00:01 CST a document written "2026-01-01" is not in the future; on the UTC date it would be.
    const today = cstDate('2025-12-31T16:01:00.000Z');
    expect(checkDraft({ ...draft, writtenOn: '2026-01-01' }, lists, today).errors.filter((e) => e.field === 'writtenOn')).toEqual([]);
    expect(checkDraft({ ...draft, writtenOn: '2026-01-02' }, lists, today).errors.some((e) => e.field === 'writtenOn')).toBe(true);
  });
});
