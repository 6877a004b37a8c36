import { describe, expect, it } from 'vitest';
import { parseChineseDate } from '@ywtc/cms-schema';
import { parseCrawlSource } from '../crawl/config.ts';
import { parseHtml } from '../crawl/dom.ts';
import { canonicalDocNumber, extractDocument, titleFromTitleTag, type Extracted } from '../crawl/extract.ts';
import { pageLinks } from '../crawl/links.ts';
import { parseSitemap } from '../crawl/sitemap.ts';
import { columnFor, normalizeUrl } from '../crawl/url.ts';
import { articleHtml, type ArticleSpec, type Structure } from '../fixtures/pages.ts';

const config = parseCrawlSource({
  type: 'crawl',
  id: 'rd-old',
  name: '南宁人大网旧站',
  siteId: 'rd-nanning',
  startUrls: ['http://rd.example.gov.cn/'],
  articleUrl: '/t\\d{8}_\\d+\\.html$',
  columns: [
    { urlPrefix: '/rdyw/', column: 'rdyw' },
    { urlPrefix: '/rdyw/tp/', column: 'tpxw', kind: 'notice' },
    { urlPrefix: '/gfxwj/', column: 'gfxwj', kind: 'policy' },
  ],
});
const URL_RDYW = 'http://rd.example.gov.cn/rdyw/202103/t20210305_1001.html';
const URL_GFXWJ = 'http://rd.example.gov.cn/gfxwj/202103/t20210305_1002.html';

function extract(html: string, url = URL_RDYW): Extracted {
  const x = extractDocument(parseHtml(html), url, config, columnFor(url, config.columns)!);
  if (!x.ok) throw new Error(x.reason);
  return x;
}

const spec = (structure: Structure, over: Partial<ArticleSpec> = {}): ArticleSpec => ({
  path: '/rdyw/202103/t20210305_1001.html',
  column: 'rdyw',
  title: '示例：市人大常委会召开第12次主任会议',
  structure,
  encoding: 'utf-8',
  dateShown: '2021-03-05 09:30',
  source: '南宁市人大常委会办公室',
  gov: null,
  paragraphs: ['会议听取了关于代表建议办理情况的报告。', '会议还研究了其他事项。'],
  attachments: [],
  extraBodyHtml: '',
  ...over,
});
const gov = {
  indexNumber: 'MB1518963/2021-00012',
  docNumberShown: '南人常发[2021]12号',
  issuer: '南宁市人大常委会',
  writtenOn: '2021年03月02日',
  issuedOn: '2021-03-05',
  topic: '人大工作',
  validityShown: '现行有效',
};

describe('extracting an article page', () => {
  it('reads a TRS WCM page: title, TRS_Editor body, 发布时间 and 来源 of the info line', () => {
    const x = extract(articleHtml(spec('trs')));
    expect(x.record).toMatchObject({
      sourceId: URL_RDYW,
      url: URL_RDYW,
      siteId: 'rd-nanning',
      column: 'rdyw',
      kind: 'article',
      title: '示例：市人大常委会召开第12次主任会议',
      publishedAt: '2021-03-05 09:30:00',
      source: '南宁市人大常委会办公室',
      docNumber: null,
    });
    expect(x.record.bodyHtml).toContain('<p style="text-indent:2em">会议听取了关于代表建议办理情况的报告。</p>');
    expect(x.record.bodyHtml).not.toContain('当前位置');
  });

  it('falls back to the national meta tags (ArticleTitle, PubDate, ContentSource) and a #UCAP-CONTENT body', () => {
    const x = extract(articleHtml(spec('govcn-meta', { source: '南宁日报' })));
    expect(x.record).toMatchObject({ title: '示例：市人大常委会召开第12次主任会议', publishedAt: '2021-03-05 09:30:00', source: '南宁日报' });
    expect(x.record.bodyHtml).toContain('会议还研究了其他事项。');
  });

  it('falls back to <title> without the site name', () => {
    const x = extract('<html><head><title>示例：关于召开会议的通知_南宁人大网</title></head><body><div class="zoom"><p>正文</p></div></body></html>');
    expect(x.record.title).toBe('示例：关于召开会议的通知');
    expect(x.record.publishedAt).toBeUndefined();
    expect(titleFromTitleTag('南宁人大网 - 示例：市人大常委会召开会议')).toBe('示例：市人大常委会召开会议');
  });

  it('reads the 政务公开 block as th/td rows', () => {
    const x = extract(articleHtml(spec('xxgk-th', { dateShown: null, gov: { ...gov, docNumberShown: '南人常发〔2021〕12号' }, column: 'gfxwj' })), URL_GFXWJ);
    expect(x.record).toMatchObject({
      kind: 'policy',
      column: 'gfxwj',
      indexNumber: 'MB1518963/2021-00012',
      docNumber: '南人常发〔2021〕12号',
      issuer: '南宁市人大常委会',
      writtenOn: '2021-03-02',
      issuedOn: '2021-03-05',
      topic: '人大工作',
      validity: '有效',
      publishedAt: '2021-03-05',
    });
  });

  it('reads spaced td/td labels, brackets of any kind in 发文字号, and makes it a 政策文件 whatever the column says', () => {
    const x = extract(articleHtml(spec('xxgk-td', { dateShown: '2021年03月05日 09:30', gov })));
    expect(x.record).toMatchObject({
      kind: 'policy',
      indexNumber: 'MB1518963/2021-00012',
      docNumber: '南人常发〔2021〕12号',
      writtenOn: '2021-03-02',
      publishedAt: '2021-03-05 09:30:00',
    });
    expect(canonicalDocNumber('桂政办发（2021） 120号')).toBe('桂政办发〔2021〕120号');
  });

  it('reads <li><span>label</span>value</li> blocks and one-cell "label：value" rows', () => {
    const x = extract(articleHtml(spec('xxgk-li', { dateShown: null, gov: { ...gov, docNumberShown: null, validityShown: '已废止' } })), URL_GFXWJ);
    expect(x.record).toMatchObject({ kind: 'policy', issuer: '南宁市人大常委会', validity: '废止', docNumber: null, publishedAt: '2021-03-05' });
    const y = extract(
      '<h1>示例：一份通知</h1><table class="xxgk"><tr><td>索引号：MB1518963/2020-00001</td><td>发布日期：2020年1月2日</td></tr></table><div id="zoom">正文</div>',
    );
    expect(y.record).toMatchObject({ indexNumber: 'MB1518963/2020-00001', issuedOn: '2020-01-02', publishedAt: '2020-01-02' });
  });

  it('reads a date written in Chinese numerals', () => {
    const x = extract(articleHtml(spec('chinese-date', { dateShown: '二〇二一年三月五日' })));
    expect(parseChineseDate(x.record.publishedAt!)).toEqual({ date: '2021-03-05', time: null });
    expect(x.record.source).toBe('南宁市人大常委会办公室');
  });

  it('leaves out a field that does not fit the platform format, with a note', () => {
    const x = extract(articleHtml(spec('xxgk-th', { gov: { ...gov, indexNumber: '第12号索引' } })));
    expect(x.record.indexNumber).toBeNull();
    expect(x.notes).toEqual(['索引号“第12号索引”格式不符，未导入该字段']);
  });

  it('makes relative links absolute and finds attachments in the body and in the .fj block', () => {
    const x = extract(
      articleHtml(
        spec('trs', {
          extraBodyHtml: '<p><img src="./W020210305.jpg" alt="图"><a href="../202102/t20210201_9.html">上一篇</a><a href="mailto:a@b.cn">信箱</a></p>',
          attachments: [
            { href: './P020210305.pdf', name: '附件1：会议议程.pdf', inBody: false },
            { href: '/rdyw/202103/W020210305.docx', name: '附件2：报名表.docx', inBody: true },
            { href: 'http://elsewhere.example.com/a.pdf', name: '站外附件.pdf', inBody: true },
          ],
        }),
      ),
    );
    expect(x.record.bodyHtml).toContain('src="http://rd.example.gov.cn/rdyw/202103/W020210305.jpg"');
    expect(x.record.bodyHtml).toContain('href="http://rd.example.gov.cn/rdyw/202102/t20210201_9.html"');
    expect(x.record.bodyHtml).toContain('href="mailto:a@b.cn"');
    expect(x.attachmentLinks).toEqual([
      { url: 'http://rd.example.gov.cn/rdyw/202103/W020210305.docx', name: '附件2：报名表.docx' },
      { url: 'http://rd.example.gov.cn/rdyw/202103/P020210305.pdf', name: '附件1：会议议程.pdf' },
    ]);
  });

  it('still extracts broken HTML', () => {
    const x = extract(articleHtml(spec('broken')));
    expect(x.record).toMatchObject({ title: '示例：市人大常委会召开第12次主任会议', publishedAt: '2021-03-05 09:30:00', source: '南宁市人大常委会办公室' });
    expect(x.record.bodyHtml).toContain('会议听取了关于代表建议办理情况的报告。');
    expect(x.record.bodyHtml).toContain('会议还研究了其他事项。');
  });

  it('reports a page without title or body', () => {
    const r = extractDocument(parseHtml('<div class="zoom">正文</div>'), URL_RDYW, config, config.columns[0]!);
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/未找到标题/) });
    const s = extractDocument(parseHtml('<title>示例：标题</title><div>正文</div>'), URL_RDYW, config, config.columns[0]!);
    expect(s).toEqual({ ok: false, reason: expect.stringMatching(/未找到正文/) });
  });

  it('maps a page to the column of the longest matching prefix', () => {
    expect(columnFor('http://rd.example.gov.cn/rdyw/tp/202103/t20210305_1.html', config.columns)?.column).toBe('tpxw');
    expect(columnFor('http://rd.example.gov.cn/rdyw/202103/t20210305_1.html', config.columns)?.column).toBe('rdyw');
    expect(columnFor('http://rd.example.gov.cn/ztzl/t20210305_1.html', config.columns)).toBeNull();
  });
});

describe('addresses, links and sitemaps', () => {
  it('normalises addresses', () => {
    expect(normalizeUrl('HTTP://RD.example.gov.cn:80/rdyw/index.html#top')).toBe('http://rd.example.gov.cn/rdyw/');
    expect(normalizeUrl('https://rd.example.gov.cn:443/a?b=2&a=1')).toBe('https://rd.example.gov.cn/a?a=1&b=2');
    expect(normalizeUrl('./t1.html', 'http://rd.example.gov.cn/rdyw/index_1.html')).toBe('http://rd.example.gov.cn/rdyw/t1.html');
    expect(normalizeUrl('javascript:void(0)', 'http://rd.example.gov.cn/')).toBeNull();
    expect(normalizeUrl('http://[bad')).toBeNull();
  });

  it("finds links, frames and TRS's createPageHTML pages", () => {
    const doc = parseHtml(
      '<a href="./202103/t1.html">a</a><a href="#x">b</a><a href="javascript:;">c</a><iframe src="/frame.html"></iframe><script>createPageHTML(4, 0, "index", "html");</script>',
    );
    expect(pageLinks(doc, 'http://rd.example.gov.cn/dbgz/').sort()).toEqual(
      [
        'http://rd.example.gov.cn/dbgz/202103/t1.html',
        'http://rd.example.gov.cn/frame.html',
        'http://rd.example.gov.cn/dbgz/index_1.html',
        'http://rd.example.gov.cn/dbgz/index_2.html',
        'http://rd.example.gov.cn/dbgz/index_3.html',
      ].sort(),
    );
  });

  it('reads sitemaps and sitemap indexes', () => {
    expect(
      parseSitemap(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> http://a/1.html </loc></url><url><loc>http://a/2.html</loc></url></urlset>',
      ),
    ).toEqual({
      pages: ['http://a/1.html', 'http://a/2.html'],
      sitemaps: [],
    });
    expect(parseSitemap('<sitemapindex><sitemap><loc>http://a/s1.xml</loc></sitemap></sitemapindex>')).toEqual({ pages: [], sitemaps: ['http://a/s1.xml'] });
  });
});
