import { describe, expect, it } from 'vitest';
import { instantOf, parseChineseDate } from '../src/import-dates.ts';
import { ImportDocumentSchema } from '../src/import.ts';

describe('dates as older government sites write them', () => {
  it.each([
    ['2021-03-05 09:30', '2021-03-05', '09:30:00'],
    ['发布时间：2021/3/5  来源：南宁市人民政府', '2021-03-05', null],
    ['2021.03.05', '2021-03-05', null],
    ['２０２１年３月５日', '2021-03-05', null],
    ['2021年3月5日 14时05分', '2021-03-05', '14:05:00'],
    ['二〇二一年三月五日', '2021-03-05', null],
    ['二〇二〇年十二月三十一日', '2020-12-31', null],
    ['二○一九年十月十日', '2019-10-10', null],
    ['2021-03-05T01:30:00Z', '2021-03-05', '09:30:00'],
    ['2021-03-04T20:00:00Z', '2021-03-05', '04:00:00'],
    ['1614907800', '2021-03-05', '09:30:00'],
  ])('reads %s', (text, date, time) => {
    expect(parseChineseDate(text)).toEqual({ date, time });
  });

  it.each(['', '近日', '2021-02-30', '2021年13月1日', '二〇二一年三月', '1900-01-01'])('refuses %j rather than guess', (text) => {
    expect(parseChineseDate(text)).toBeNull();
  });

  it('stores a China-time wall clock as its UTC instant', () => {
    expect(instantOf({ date: '2021-03-05', time: '09:30:00' })).toBe('2021-03-05T01:30:00.000Z');
    expect(instantOf({ date: '2021-03-05', time: null })).toBe('2021-03-04T16:00:00.000Z');
  });

  it('refuses an import record without a readable publish time, naming the field', () => {
    const base = { sourceId: 'a1', siteId: 'nnxn', column: 'tzgg', title: '关于开展测试的通知', bodyHtml: '<p>正文</p>' };
    const bad = ImportDocumentSchema.safeParse({ ...base, publishedAt: '近日' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['publishedAt']);
    expect(bad.error?.issues[0]?.message).toContain('无法识别的时间');
    const good = ImportDocumentSchema.parse({ ...base, publishedAt: '二〇二一年三月五日', writtenOn: '2021年3月1日' });
    expect(good.publishedAt).toBe('2021-03-04T16:00:00.000Z');
    expect(good.writtenOn).toBe('2021-03-01');
  });
});
