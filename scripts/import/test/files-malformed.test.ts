import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES } from '../files/records.ts';
import { readFileSource } from '../files/read-source.ts';
import { collect, documents, failures, simpleSource, tempFile } from './files-helpers.ts';

const line = (id: string, extra = '') =>
  `{"id":"${id}","title":"示例：第${id}条","time":"2024-01-0${(Number(id) % 9) + 1} 08:00","body":"<p>正文${extra}</p>"}`;
const summary = (events: Awaited<ReturnType<typeof collect>>) =>
  (events as { type: string; index: number; reason?: string; record?: { sourceId: string } }[]).map((e) =>
    e.type === 'document' ? `${e.index}:${e.record!.sourceId}` : `${e.index}:${e.reason}`,
  );

describe('bad records fail alone, the rest are read', () => {
  it('JSONL: malformed lines and non-objects, with their line numbers', async () => {
    const path = tempFile('a.jsonl', [line('1'), '{"id":"2",', '', '[1,2]', line('3'), 'not json', line('4')].join('\n') + '\n');
    const events = await collect(readFileSource(simpleSource('jsonl'), path));
    expect(summary(events)).toEqual([
      '0:1',
      expect.stringMatching(/^1:第 2 条（第 2 行）：不是合法的 JSON/),
      '2:第 3 条（第 4 行）：每行须是一个 JSON 对象',
      '3:3',
      expect.stringMatching(/^4:第 5 条（第 6 行）：不是合法的 JSON/),
      '5:4',
    ]);
  });

  it('duplicate ids: the second and later occurrences fail, naming the first', async () => {
    const path = tempFile('d.jsonl', [line('1'), line('2'), line('1'), line('3'), line('1')].join('\n'));
    const events = await collect(readFileSource(simpleSource('jsonl'), path));
    expect(summary(events)).toEqual([
      '0:1',
      '1:2',
      '2:第 3 条（第 3 行）：记录标识重复，与第 1 条相同',
      '3:3',
      '4:第 5 条（第 5 行）：记录标识重复，与第 1 条相同',
    ]);
    expect(failures(events).map((f) => f.sourceId)).toEqual(['1', '1']);
  });

  it('CSV: wrong column counts, text after a closing quote, CRLF, BOM, and an unclosed quote at the end', async () => {
    const csv = [
      '\uFEFFid,title,time,body',
      '1,示例：一,2024-01-01,"第一段',
      '第二段，含""引号"""',
      '2,示例：二,2024-01-02',
      '3,"示例：三"x,2024-01-03,正文',
      '4,示例：四,2024-01-04,正文',
      '5,示例：五,2024-01-05,"没有闭合',
      '6,示例：六,2024-01-06,正文',
    ].join('\r\n');
    const events = await collect(readFileSource(simpleSource('csv'), tempFile('a.csv', csv)));
    expect(summary(events)).toEqual([
      '0:1',
      '1:第 2 条（第 4 行）：有 3 列，表头有 4 列',
      '2:第 3 条（第 5 行）：CSV 格式错误（第 2 列的引号后还有其他字符）',
      '3:4',
      '4:第 5 条（第 7 行）：引号没有闭合，从第 7 行到文件末尾都无法读取',
    ]);
    expect(documents(events)[0]!.record.bodyHtml).toBe('第一段\r\n第二段，含"引号"');
  });

  it('JSON: elements that do not parse, primitives, a file cut short; a records path that is not there', async () => {
    const json = `{"meta":{"list":[9]},"data":{"list":[${line('1')}, {"id":"2","title":x}, "text", ${line('3')}, {"id":"4"`;
    const events = await collect(readFileSource(simpleSource('json', { records: 'data.list' }), tempFile('a.json', json)));
    expect(summary(events)).toEqual([
      '0:1',
      expect.stringMatching(/^1:第 2 条（第 1 行）：不是合法的 JSON/),
      '2:第 3 条（第 1 行）：数组元素须是 JSON 对象，而不是“"text"”',
      '3:3',
      '4:第 5 条（第 1 行）：文件在这条记录中途结束',
    ]);
    await expect(collect(readFileSource(simpleSource('json', { records: 'data.items' }), tempFile('b.json', json)))).rejects.toThrow(
      'JSON 文件中没有找到 records 路径“data.items”指向的数组',
    );
    const top = await collect(readFileSource(simpleSource('json'), tempFile('c.json', `[\n${line('1')},\n${line('2')}\n]`)));
    expect(documents(top).map((d) => [d.record.sourceId, d.line])).toEqual([
      ['1', 2],
      ['2', 3],
    ]);
  });

  it('XML: a record that is not well-formed fails with its line; the next one is read; bare ampersands are read as text', async () => {
    const xml = `<export>\n<doc><id>1</id><title>示例：交通 & 运输</title><time>2024-01-01</time><body><![CDATA[<a href="?a=1&b=2">&nbsp;</a>]]></body></doc>\n<doc><id>2</id><title lang=zh>示例：二</title><time>2024-01-02</time></doc>\n<doc><id>3</id><title>示例：三</title><time>2024-01-03</time><body>c</body></doc>\n</export>`;
    const events = await collect(readFileSource(simpleSource('xml', { records: 'export.doc' }), tempFile('a.xml', xml)));
    expect(summary(events)).toEqual(['0:1', expect.stringMatching(/^1:第 2 条（第 3 行）：XML 格式错误（第 3 行：unquoted attribute value/), '2:3']);
    expect(documents(events)[0]!.record).toMatchObject({ title: '示例：交通 & 运输', bodyHtml: '<a href="?a=1&b=2">&nbsp;</a>' });
  });
});

describe('a record over the size limit fails, the file goes on', () => {
  it('JSONL at the real limit (2 MB)', async () => {
    const big = 'x'.repeat(MAX_RECORD_BYTES);
    const path = tempFile('big.jsonl', [line('1'), line('2', big), line('3')].join('\n'));
    const events = await collect(readFileSource(simpleSource('jsonl'), path));
    expect(summary(events)).toEqual(['0:1', '1:第 2 条（第 2 行）：记录超过 2 MB，未读取', '2:3']);
  });

  it('counts UTF-8 bytes, not characters', async () => {
    const path = tempFile('cjk.jsonl', [line('1', '中'.repeat(300)), line('2', 'x'.repeat(300))].join('\n'));
    const events = await collect(readFileSource(simpleSource('jsonl'), path, { limit: 800 }));
    expect(summary(events)).toEqual(['0:第 1 条（第 1 行）：记录超过 2 MB，未读取', '1:2']);
  });

  it.each([
    ['csv', {}, `id,title,time,body\n1,示例：一,2024-01-01,a\n2,示例：二,2024-01-02,"${'长'.repeat(500)}\n续"\n3,示例：三,2024-01-03,c\n`],
    ['json', {}, `[${line('1')},${line('2', '长'.repeat(500))},${line('3')}]`],
    [
      'xml',
      { records: 'e.d' },
      `<e><d><id>1</id><title>示例：一</title><time>2024-01-01</time></d><d><id>2</id><body><p>${'长'.repeat(500)}</p></body></d><d><id>3</id><title>示例：三</title><time>2024-01-03</time></d></e>`,
    ],
  ] as const)('%s', async (format, extra, content) => {
    const events = await collect(readFileSource(simpleSource(format, extra), tempFile(`big.${format}`, content), { limit: 1000 }));
    expect(summary(events)).toEqual(['0:1', expect.stringMatching(/^1:第 2 条.*记录超过 2 MB，未读取$/), '2:3']);
  });
});
