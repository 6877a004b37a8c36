import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSourceError, loadFileSource, parseFileSource } from '../files/config.ts';

const SOURCES = join(import.meta.dirname, '../sources');
const base = {
  type: 'file',
  id: 'demo-json',
  name: '演示来源',
  siteId: 'nanning',
  format: 'json',
  idField: 'id',
  mapping: { title: 'title', publishedAt: 'time' },
  defaults: { column: 'yw' },
};
const problems = (v: unknown) => {
  try {
    parseFileSource(v);
  } catch (e) {
    expect(e).toBeInstanceOf(FileSourceError);
    return (e as Error).message;
  }
  throw new Error('配置被接受了');
};

describe('file source configuration', () => {
  it('reads every example source', () => {
    const files = readdirSync(SOURCES).filter((f) => f.startsWith('file-') && f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    const formats = new Set(files.map((f) => loadFileSource(join(SOURCES, f)).format));
    expect([...formats].sort()).toEqual(['csv', 'json', 'jsonl', 'rss', 'xml']);
  });

  it('fills the defaults', () => {
    const s = parseFileSource(base);
    expect(s).toMatchObject({ encoding: 'auto', delimiter: ',', hidden: false, columns: [] });
  });

  it('names the field at fault, in Chinese', () => {
    expect(problems({ ...base, format: 'yaml' })).toMatch(/字段 format: format 须为 json、jsonl、csv、xml、rss 之一/);
    expect(problems({ ...base, id: 'Bad Id' })).toMatch(/字段 id: 来源标识只能包含小写字母/);
    expect(problems({ ...base, idField: undefined })).toMatch(/字段 idField/);
    expect(problems({ ...base, mapping: { ...base.mapping, heading: 'x' } })).toMatch(/字段 mapping\.heading: “heading”不是导入记录的字段/);
    expect(problems({ ...base, mapping: { ...base.mapping, sourceId: 'x' } })).toMatch(/mapping\.sourceId: 记录标识由 idField 给出/);
    expect(problems({ ...base, mapping: { ...base.mapping, kind: { from: 'type', transform: 'map' } } })).toMatch(
      /mapping\.kind\.table: transform 为 map 时须给出对照表/,
    );
    expect(problems({ ...base, mapping: { ...base.mapping, kind: { from: 'type', transform: 'upper' } } })).toMatch(/mapping\.kind\.transform: transform 须为/);
    expect(problems({ ...base, mapping: { title: 'title' } })).toMatch(/mapping\.publishedAt: mapping 须给出 publishedAt/);
    expect(problems({ ...base, format: 'xml' })).toMatch(/字段 records: XML 来源须用 records/);
    expect(problems({ ...base, defaults: {} })).toMatch(/字段 columns: 须给出栏目/);
    expect(problems({ ...base, columns: [{ when: { field: 'c', matches: '(' }, column: 'x' }] })).toMatch(/columns\.0\.when\.matches: 不是合法的正则表达式/);
    expect(problems({ ...base, columns: [{ when: { field: 'c' }, column: 'x' }] })).toMatch(/columns\.0\.when: when 须给出 equals 或 matches 之一/);
    expect(problems({ ...base, encoding: 'big5' })).toMatch(/字段 encoding: encoding 须为 auto、utf-8 或 gb18030/);
    expect(problems({ ...base, extra: 1 })).toMatch(/字段 \(整条记录\)|extra/);
  });
});
