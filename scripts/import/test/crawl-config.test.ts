import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrawlConfigError, DEFAULT_USER_AGENT, loadCrawlSource, parseCrawlSource } from '../crawl/config.ts';

const minimal = {
  type: 'crawl',
  id: 'rd-old',
  name: '南宁人大网旧站',
  siteId: 'rd-nanning',
  startUrls: ['https://rd.nanning.gov.cn/'],
  articleUrl: '/t\\d{8}_\\d+\\.html$',
  columns: [{ urlPrefix: '/rdyw/', column: 'rdyw' }],
};

const messageOf = (input: unknown): string => {
  try {
    parseCrawlSource(input);
  } catch (e) {
    expect(e).toBeInstanceOf(CrawlConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the config to be refused');
};

describe('crawl source config', () => {
  it('fills the politeness and selector defaults', () => {
    const c = parseCrawlSource(minimal);
    expect(c.politeness).toEqual({
      concurrency: 2,
      delayMs: 500,
      timeoutMs: 15_000,
      maxPages: 20_000,
      maxBytes: 5_000_000,
      userAgent: DEFAULT_USER_AGENT,
      obeyRobots: true,
    });
    expect(c.allowHosts).toEqual(['rd.nanning.gov.cn']);
    expect(c.selectors.body).toContain('.TRS_Editor');
    expect(c.selectors.body).toContain('#UCAP-CONTENT');
    expect(c.hidden).toBe(false);
  });

  it('keeps allowHosts when given', () => {
    expect(parseCrawlSource({ ...minimal, allowHosts: ['rd.nanning.gov.cn', 'www.nnrd.gov.cn'] }).allowHosts).toHaveLength(2);
  });

  it('names the field of each fault, in Chinese', () => {
    const msg = messageOf({ ...minimal, politeness: { concurrency: 20 }, articleUrl: '(', columns: [{ urlPrefix: 'rdyw', column: 'Bad' }] });
    expect(msg).toMatch(/politeness\.concurrency：concurrency 不能超过 8/);
    expect(msg).toMatch(/articleUrl：articleUrl 不是有效的正则表达式/);
    expect(msg).toMatch(/columns\.0\.urlPrefix：urlPrefix 须以 \/ 或 http/);
    expect(msg).toMatch(/columns\.0\.column：栏目路径只能包含/);
    expect(messageOf({ ...minimal, startUrls: undefined })).toMatch(/startUrls：.*无效输入/);
    expect(messageOf({ ...minimal, selectors: { body: ['div[['] } })).toMatch(/selectors\.body\.0：selectors\.body 中有无效的 CSS 选择器/);
    expect(messageOf({ ...minimal, type: 'file' })).toMatch(/type：type 须为 "crawl"/);
  });

  it('reads the example source of the fixture site', () => {
    const c = loadCrawlSource(join(import.meta.dirname, '../sources/fixture-rd.json'));
    expect(c.id).toBe('fixture-rd');
    expect(c.columns.map((x) => x.column)).toEqual(['rdyw', 'gzdt', 'tzgg', 'gfxwj', 'dbgz']);
    expect(c.politeness.maxBytes).toBe(1_000_000);
    expect(() => loadCrawlSource('/nonexistent/source.json')).toThrow(/无法读取采集配置/);
  });
});
