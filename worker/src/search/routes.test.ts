import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexDocuments } from '@ywtc/search';
import { seedRegistry } from '../testing/sites.ts';
import { searchDoc as doc } from '../testing/search-docs.ts';

beforeAll(async () => {
  await seedRegistry();
  await indexDocuments(env.DB, [doc('a1', '住房公积金提取办法', 'gxzf'), doc('a2', '南宁市住房公积金缴存通知', 'nanning')]);
});

describe('search endpoints', () => {
  it('searches every site from the platform host and one site from its own host', async () => {
    const all = (await (await SELF.fetch('http://127.0.0.1:8787/search.json?q=公积金')).json()) as { total: number };
    expect(all.total).toBe(2);
    const one = (await (await SELF.fetch('http://www.nanning.gov.cn/search.json?q=公积金')).json()) as { total: number; hits: { id: string }[] };
    expect(one.hits.map((h) => h.id)).toEqual(['a2']);
    const switched = (await (await SELF.fetch('http://www.nanning.gov.cn/search.json?q=公积金&scope=all')).json()) as { total: number };
    expect(switched.total).toBe(2);
  });

  it('answers bad parameters with 400 naming the field, never a 5xx', async () => {
    for (const [query, field] of [
      [`q=${'政'.repeat(101)}`, 'q'],
      ['q=x&page=0', 'page'],
      ['q=x&kind=blog', 'kind'],
      ['q=x&year=12', 'year'],
    ] as const) {
      const res = await SELF.fetch(`http://127.0.0.1:8787/search.json?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { field: string }).field).toBe(field);
    }
  });

  it('renders a results page without JavaScript, linking hits on this site relatively and others to their site', async () => {
    const res = await SELF.fetch('http://www.nanning.gov.cn/search?q=公积金&scope=all');
    expect(res.status).toBe(200);
    const body = await res.text();
    // One inline script only fills the suggestion list; everything else is plain HTML and forms.
    expect(body.match(/<script/g)).toHaveLength(1);
    expect(body).not.toContain('<script src');
    expect(body).toContain('<form method="get"');
    // Result links count the click through /search/click, then land on the hit's page.
    expect(body).toContain('d=a2&amp;to=%2Fzcwj%2Fa2.html"');
    expect(body).toContain('d=a1&amp;to=https%3A%2F%2Fwww.gxzf.gov.cn%2Fzcwj%2Fa1.html"');
    const preview = await (await SELF.fetch('http://127.0.0.1:8787/search?q=公积金')).text();
    expect(preview).toContain('d=a2&amp;to=%2F_site%2Fwww.nanning.gov.cn%2Fzcwj%2Fa2.html"');
    const long = await SELF.fetch(`http://127.0.0.1:8787/search?q=${'政'.repeat(101)}`);
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('搜索词不能超过 100 个字');
  });

  it('escapes what the user typed', async () => {
    const body = await (await SELF.fetch('http://127.0.0.1:8787/search?q=' + encodeURIComponent('"><script>alert(1)</script>'))).text();
    expect(body).not.toContain('<script>alert(1)</script>');
  });
});
