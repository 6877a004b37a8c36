import { describe, expect, it } from 'vitest';
import { parseFileSource } from '../files/config.ts';
import { compileMapping, getPath } from '../files/mapping.ts';

const source = (mapping: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  parseFileSource({
    type: 'file',
    id: 'map-test',
    name: '映射测试',
    siteId: 'nanning',
    format: 'jsonl',
    idField: 'id',
    mapping: { title: 'title', publishedAt: 'time', ...mapping },
    defaults: { column: 'yw' },
    ...extra,
  });
const mapOne = (mapping: Record<string, unknown>, value: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  compileMapping(source(mapping, extra))({ id: 'r1', title: '示例：标题', time: '2024-01-02 03:04', ...value });

describe('mapping', () => {
  it('finds CSV headers with dots as keys, nested paths, and lists of objects', () => {
    expect(getPath({ 'a.b': 1, a: { b: 2 } }, 'a.b')).toBe(1);
    expect(getPath({ a: { b: 2 } }, 'a.b')).toBe(2);
    expect(getPath({ fj: [{ u: 'x' }, { u: 'y' }] }, 'fj.u')).toEqual(['x', 'y']);
    expect(getPath({ a: {} }, 'a.b')).toBeUndefined();
  });

  it('text-to-html escapes markup and makes one paragraph per line', () => {
    const m = mapOne({ bodyHtml: { from: 'text', transform: 'text-to-html' } }, { text: '第一段 <b>不是标签</b>\r\n\r\n  第二段 & 完  ' });
    expect(m.ok && m.record.bodyHtml).toBe('<p>第一段 &lt;b&gt;不是标签&lt;/b&gt;</p>\n<p>第二段 &amp; 完</p>');
  });

  it('html keeps markup as given (the store sanitizes it)', () => {
    const m = mapOne({ bodyHtml: { from: 'html', transform: 'html' } }, { html: '<p onclick="x()">正文</p>' });
    expect(m.ok && m.record.bodyHtml).toBe('<p onclick="x()">正文</p>');
  });

  it('split with the default separators or a given one; array targets split a string even without a transform', () => {
    expect(mapOne({ keywords: { from: 'k', transform: 'split' } }, { k: '营商环境，政务服务;市场主体、 改革' })).toMatchObject({
      record: { keywords: ['营商环境', '政务服务', '市场主体', '改革'] },
    });
    expect(mapOne({ keywords: { from: 'k', transform: 'split', separator: '|' } }, { k: '营商 环境|政务' })).toMatchObject({
      record: { keywords: ['营商 环境', '政务'] },
    });
    expect(mapOne({ subjectWords: 's' }, { s: '经济、管理' })).toMatchObject({ record: { subjectWords: ['经济', '管理'] } });
  });

  it('date reads Chinese, slash, epoch and RFC 822 forms; days for 成文日期, instants for publishedAt; unreadable text is left for the store to name', () => {
    const m = (time: string, written = '2021年3月5日') =>
      mapOne({ publishedAt: { from: 'time', transform: 'date' }, writtenOn: { from: 'w', transform: 'date' } }, { time, w: written });
    expect(m('二〇二一年三月五日')).toMatchObject({ record: { publishedAt: '2021-03-04T16:00:00.000Z', writtenOn: '2021-03-05' } });
    expect(m('2021/3/5 9:30')).toMatchObject({ record: { publishedAt: '2021-03-05T01:30:00.000Z' } });
    expect(m('1614907800')).toMatchObject({ record: { publishedAt: '2021-03-05T01:30:00.000Z' } });
    expect(m('Fri, 05 Mar 2021 09:30:00 +0800')).toMatchObject({ record: { publishedAt: '2021-03-05T01:30:00.000Z' } });
    expect(m('三月初')).toMatchObject({ record: { publishedAt: '三月初' } });
  });

  it('trim collapses whitespace', () => {
    expect(mapOne({ title: { from: 'title', transform: 'trim' } }, { title: '  示例：\n 关于   通知 ' })).toMatchObject({
      record: { title: '示例： 关于 通知' },
    });
  });

  it('map looks codes up; a code not in the table takes the default, or fails naming the field and value', () => {
    const kind = { from: 't', transform: 'map', table: { '1': 'policy', '2': 'notice' } };
    expect(mapOne({ kind }, { t: '2' })).toMatchObject({ record: { kind: 'notice' } });
    expect(mapOne({ kind: { ...kind, default: 'article' } }, { t: '9' })).toMatchObject({ record: { kind: 'article' } });
    expect(mapOne({ kind }, { t: '9' })).toEqual({ ok: false, sourceId: 'r1', reason: '字段 kind：来源字段 t 的值“9”不在对照表中' });
  });

  it('a missing or empty field takes the rule default, else stays absent for the schema default', () => {
    const m = mapOne({ author: { from: 'a', default: '本网' }, source: 's' }, { a: '', s: '   ' });
    expect(m.ok && m.record.author).toBe('本网');
    expect(m.ok && 'source' in m.record).toBe(false);
  });

  it('routes columns: a mapped column wins, then the first matching rule, then defaults.column', () => {
    const columns = [
      { when: { field: 'c', equals: ['通知公告', '公示公告'] }, column: 'tzgg' },
      { when: { field: 'c', matches: '^政策' }, column: 'zcwj' },
    ];
    const route = (value: Record<string, unknown>, mapping: Record<string, unknown> = {}) => {
      const m = mapOne(mapping, value, { columns });
      return m.ok ? m.record.column : null;
    };
    expect(route({ c: '公示公告' })).toBe('tzgg');
    expect(route({ c: '政策文件' })).toBe('zcwj');
    expect(route({ c: '工作动态' })).toBe('yw');
    expect(route({ c: '政策文件', col: 'zcjd' }, { column: 'col' })).toBe('zcjd');
    expect(route({ c: '政策文件' }, { column: 'col' })).toBe('zcwj'); // the mapped field is absent in this record
  });

  it('sets the source site and constants, and fails a record without its id', () => {
    const m = mapOne({}, {}, { defaults: { column: 'yw', kind: 'notice', keywords: ['示例'] } });
    expect(m).toMatchObject({ ok: true, record: { siteId: 'nanning', sourceId: 'r1', kind: 'notice', keywords: ['示例'] } });
    expect(compileMapping(source({}))({ title: 'x', time: '2024-01-01' })).toEqual({ ok: false, sourceId: null, reason: '缺少记录标识（字段 id）' });
    expect(compileMapping(source({}))({ id: 42, title: 'x', time: '2024-01-01' })).toMatchObject({ ok: true, sourceId: '42' });
  });

  it('attachments: URLs or objects, relative ones read against the page, other schemes dropped', () => {
    const m = mapOne(
      { url: 'page', attachments: 'files' },
      { page: 'http://www.nanning.gov.cn/a/b.html', files: ['/f/1.pdf', { title: '表格', href: 'x.xls' }, 'javascript:alert(1)', 'http://x.cn/%E8%A1%A8.doc'] },
    );
    expect(m.ok && m.attachments).toEqual([
      { name: '1.pdf', url: 'http://www.nanning.gov.cn/f/1.pdf' },
      { name: '表格', url: 'http://www.nanning.gov.cn/a/x.xls' },
      { name: '表.doc', url: 'http://x.cn/%E8%A1%A8.doc' },
    ]);
    expect(m.ok && 'attachments' in m.record).toBe(false);
  });
});
