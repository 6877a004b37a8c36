import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportDocumentSchema } from '@ywtc/cms-schema';
import { parseFileSource } from '../files/config.ts';
import { decodeFile, type ResolvedEncoding } from '../files/decode.ts';
import { feedDialect } from '../files/read-feed.ts';
import { readFileSource } from '../files/read-source.ts';
import { collect, documents, EXAMPLES, example, failures, tempFile } from './files-helpers.ts';

const read = async (source: string, file: string) => collect(readFileSource(example(source), join(EXAMPLES, file)));

/** Every document an example yields is one the store accepts. */
function expectValid(events: Awaited<ReturnType<typeof read>>) {
  for (const d of documents(events)) {
    const r = ImportDocumentSchema.safeParse(d.record);
    expect(r.success, `${d.record.sourceId}: ${JSON.stringify(r.error?.issues)}`).toBe(true);
  }
}

describe('file formats, with the example exports', () => {
  it('JSON: the array at data.list, kinds from codes, columns by channel name, attachments read against the page', async () => {
    const events = await read('file-nanning-zwgk.json', 'nanning-zwgk.json');
    expect(failures(events)).toEqual([]);
    const docs = documents(events);
    expect(docs.map((d) => [d.record.sourceId, d.record.kind, d.record.column])).toEqual([
      ['880123', 'policy', 'zcwj'],
      ['880124', 'interpretation', 'zcjd'],
      ['880125', 'notice', 'tzgg'],
    ]);
    expect(docs[0]!.record).toMatchObject({
      siteId: 'nanning',
      publishedAt: '2024-05-28T02:30:00.000Z',
      writtenOn: '2024-05-20',
      docNumber: '南府发〔2024〕12号',
      keywords: ['营商环境', '政务服务', '市场主体'],
      source: '南宁市人民政府办公室',
    });
    expect(docs[0]!.attachments).toEqual([{ name: '南宁市优化营商环境若干措施.pdf', url: 'http://www.nanning.gov.cn/files/2024/05/t880123_fj1.pdf' }]);
    expectValid(events);
  });

  it('JSONL: nested paths, plain text bodies made paragraphs, epoch seconds, blank lines counted', async () => {
    const events = await read('file-qingxiu-jsonl.json', 'qingxiu.jsonl');
    const docs = documents(events);
    expect(docs).toHaveLength(3);
    expect(docs[0]!.record.bodyHtml).toBe(
      '<p>4月12日，青秀区召开2023年第二季度安全生产工作会议。</p>\n<p>会议传达学习了上级有关安全生产工作的部署要求。</p>\n<p>会议强调，要压紧压实安全生产责任。</p>',
    );
    expect(docs.map((d) => d.record.column)).toEqual(['yw', 'tzgg', 'yw']);
    expect(docs[2]).toMatchObject({ line: 4, record: { publishedAt: '2023-04-20T06:00:00.000Z', keywords: ['志愿服务', '文明实践'] } });
    expectValid(events);
  });

  it('CSV in GBK: detected, quoted newlines kept in one row, Chinese dates read', async () => {
    const seen: ResolvedEncoding[] = [];
    for await (const _ of decodeFile(join(EXAMPLES, 'xxtq-gbk.csv'), 'auto', (e) => seen.push(e)));
    expect(seen).toEqual(['gb18030']);
    const events = await read('file-xxtq-csv.json', 'xxtq-gbk.csv');
    const docs = documents(events);
    expect(docs.map((d) => [d.line, d.record.title, d.record.column, d.record.kind])).toEqual([
      [2, '示例：西乡塘区人民政府关于做好2022年春季森林防火工作的通知', 'tzgg', 'notice'],
      [6, '示例：西乡塘区2022年重点民生实事项目清单', 'zcwj', 'policy'],
      [9, '示例：西乡塘区召开乡村振兴工作推进会', 'yw', 'article'],
    ]);
    expect(docs[0]!.record.bodyHtml).toContain('<p>一、提高思想认识</p>');
    expect(docs[2]!.record.publishedAt).toBe('2022-03-14T16:00:00.000Z'); // 二〇二二年三月十五日, China time
    expectValid(events);
  });

  it('CSV in GBK read as UTF-8 is refused at its header, naming the encoding', async () => {
    const source = { ...example('file-xxtq-csv.json'), encoding: 'utf-8' as const };
    await expect(collect(readFileSource(source, join(EXAMPLES, 'xxtq-gbk.csv')))).rejects.toThrow(/CSV 表头含无法按文件编码识别的字节/);
  });

  it('XML: id from an attribute, repeated elements as lists, CDATA and escaped HTML bodies, HTML entities', async () => {
    const events = await read('file-rd-nanning-xml.json', 'rd-nanning.xml');
    const docs = documents(events);
    expect(docs.map((d) => [d.record.sourceId, d.record.column, d.record.kind, d.line])).toEqual([
      ['rd-10086', 'tzgg', 'notice', 4],
      ['rd-10087', 'gzdt', 'article', 17],
      ['rd-10088', 'flfg', 'regulation', 25],
    ]);
    expect(docs[0]!.record.keywords).toEqual(['常委会会议', '公告']);
    expect(docs[0]!.attachments.map((a) => a.url)).toEqual(['http://rd.nanning.gov.cn/files/t10086_1.docx', 'http://rd.nanning.gov.cn/files/t10086_2.pdf']);
    expect(docs[1]!.record.bodyHtml).toBe('<p>6月20日，市人大常委会执法检查组赴兴宁区开展执法检查&nbsp;。</p>');
    expect(docs[1]!.record.title).toBe('示例：市人大常委会开展“优化营商环境条例”执法检查');
    expectValid(events);
  });

  it('RSS 2.0: guid, else link, as the id; content:encoded over description; RFC 822 dates; enclosures to fetch', async () => {
    expect(await feedDialect(join(EXAMPLES, 'dw-nanning.rss.xml'))).toBe('rss');
    const docs = documents(await read('file-dw-nanning-rss.json', 'dw-nanning.rss.xml'));
    expect(docs.map((d) => d.record.sourceId)).toEqual(['dw-nanning-5501', 'http://dw.nanning.gov.cn/tzgg/t5502.html']);
    expect(docs[0]!.record).toMatchObject({ publishedAt: '2024-06-17T11:30:00.000Z', author: '市委办公室', column: 'gzdt' });
    expect(docs[0]!.record.bodyHtml).toContain('会议强调');
    expect(docs[1]!.record.column).toBe('tzgg');
    expect(docs[1]!.attachments).toEqual([
      { name: '选题申报表.docx', url: 'http://dw.nanning.gov.cn/files/%E9%80%89%E9%A2%98%E7%94%B3%E6%8A%A5%E8%A1%A8.docx' },
    ]);
  });

  it('Atom: xhtml content without its container, html titles as text, text summaries as paragraphs, rel=enclosure links', async () => {
    expect(await feedDialect(join(EXAMPLES, 'jw-nanning.atom.xml'))).toBe('atom');
    const events = await read('file-jw-nanning-atom.json', 'jw-nanning.atom.xml');
    const docs = documents(events);
    expect(docs[0]!.record).toMatchObject({
      title: '示例：市纪委监委开展警示教育月活动',
      bodyHtml: '<p>6月20日，市纪委监委启动警示教育月活动。</p><p>活动为期一个月<br/>覆盖全市各级党组织。</p>',
      publishedAt: '2024-06-20T08:00:00.000Z',
      author: '市纪委监委宣传部',
      url: 'http://jw.nanning.gov.cn/gzdt/t7701.html',
    });
    expect(docs[0]!.attachments).toEqual([{ name: '警示教育月活动方案.pdf', url: 'http://jw.nanning.gov.cn/files/t7701.pdf' }]);
    // No <published>: the updated time; no content: the summary, its lines as paragraphs.
    expect(docs[1]!.record).toMatchObject({ publishedAt: '2024-06-21T02:00:00.000Z', column: 'tzgg' });
    expect(docs[1]!.record.bodyHtml).toBe('<p>为深入贯彻落实中央八项规定精神，现公开征集问题线索。</p>\n<p>举报电话：0771-12388</p>');
    expectValid(events);
  });

  it('RSS 1.0 (RDF) is read too, and a file that is no feed is refused by name', async () => {
    const rdf = tempFile(
      'rdf.xml',
      '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title></channel><item><title>示例：一条</title><link>http://a.gov.cn/1.html</link><dc:date>2024-01-02T03:04:05+08:00</dc:date><description>正文</description></item></rdf:RDF>',
    );
    const source = parseFileSource({ ...example('file-dw-nanning-rss.json'), id: 'rdf-test' });
    const docs = documents(await collect(readFileSource(source, rdf)));
    expect(docs.map((d) => [d.record.sourceId, d.record.publishedAt])).toEqual([['http://a.gov.cn/1.html', '2024-01-01T19:04:05.000Z']]);
    const html = tempFile('page.xml', '<html><body>不是订阅</body></html>');
    await expect(collect(readFileSource(source, html))).rejects.toThrow(/不是 RSS 或 Atom 订阅（根元素为 <html>/);
  });
});
