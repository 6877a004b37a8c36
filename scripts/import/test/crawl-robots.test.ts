import { describe, expect, it } from 'vitest';
import { parseRobots } from '../crawl/robots.ts';

const UA = 'ywtc-import/1 (+https://admin.gxzf.gov.cn/import)';

describe('robots.txt', () => {
  const robots = [
    '# comment',
    'User-agent: BadBot',
    'Disallow: /',
    '',
    'User-agent: *',
    'Disallow: /private/',
    'Allow: /private/public/',
    'Disallow: /*.php$',
    'Disallow: /search',
    'Disallow: /人大/内部/',
    'Crawl-delay: 2',
    'Sitemap: https://rd.example.gov.cn/sitemap.xml',
  ].join('\r\n');

  it('applies the * group with the longest matching rule', () => {
    const r = parseRobots(robots, UA);
    expect(r.allows('/')).toBe(true);
    expect(r.allows('/private/x.html')).toBe(false);
    expect(r.allows('/private/public/x.html')).toBe(true);
    expect(r.allows('/search?q=1')).toBe(false);
    expect(r.allows('/searching')).toBe(false);
    expect(r.allows('/index.php')).toBe(false);
    expect(r.allows('/index.php?x=1')).toBe(true);
    expect(r.allows(encodeURI('/人大/内部/a.html'))).toBe(false);
    expect(r.allows('/robots.txt')).toBe(true);
  });

  it('reads Crawl-delay and Sitemap lines', () => {
    const r = parseRobots(robots, UA);
    expect(r.crawlDelayMs).toBe(2000);
    expect(r.sitemaps).toEqual(['https://rd.example.gov.cn/sitemap.xml']);
  });

  it('prefers the group naming our product token over *', () => {
    const r = parseRobots(
      ['User-agent: *', 'Disallow: /', '', 'User-agent: ywtc-import', 'User-agent: other', 'Disallow: /tmp/', 'Crawl-delay: 0.5'].join('\n'),
      UA,
    );
    expect(r.allows('/news/')).toBe(true);
    expect(r.allows('/tmp/a')).toBe(false);
    expect(r.crawlDelayMs).toBe(500);
    expect(parseRobots('User-agent: BadBot\nDisallow: /', UA).allows('/a')).toBe(true);
  });

  it('lets Allow win a tie, and an empty Disallow allow everything', () => {
    expect(parseRobots('User-agent: *\nDisallow: /a\nAllow: /a', UA).allows('/a')).toBe(true);
    expect(parseRobots('User-agent: *\nDisallow:', UA).allows('/anything')).toBe(true);
  });
});
