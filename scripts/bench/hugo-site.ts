/**
 * The same pages for Hugo: one Hugo project holding every site of the cluster as a section tree
 * (site → column → documents), with list pagination of the same size and templates that carry the same
 * meta tags, navigation and footer. Content comes from the same store the Astro publisher reads.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPublishTime } from '@ywtc/cms-schema';
import type { Store } from '../../sites/publisher/store.ts';
import { LIST_PAGE_SIZE } from '../../sites/publisher/routes.ts';

const BASEOF = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }}_{{ .Params.siteName }}</title>
<meta name="SiteName" content="{{ .Params.siteName }}"><meta name="SiteDomain" content="{{ .Params.siteDomain }}"><meta name="SiteIDCode" content="{{ .Params.siteIdCode }}">
{{ with .Params.columnName }}<meta name="ColumnName" content="{{ . }}"><meta name="ColumnDescription" content="{{ $.Params.columnDescription }}"><meta name="ColumnKeywords" content="{{ $.Params.columnKeywords }}"><meta name="ColumnType" content="{{ $.Params.columnType }}">{{ end }}
{{ if eq .Kind "page" }}<meta name="ArticleTitle" content="{{ .Title }}"><meta name="PubDate" content="{{ .Params.pubDate }}"><meta name="ContentSource" content="{{ .Params.source }}"><meta name="Keywords" content="{{ delimit .Params.keywords "," }}"><meta name="Author" content=""><meta name="Description" content="{{ .Params.summary }}"><meta name="Image" content=""><meta name="Url" content="{{ .Permalink }}">{{ end }}
<link rel="stylesheet" href="/site.css"></head><body><a href="#main">跳到主要内容</a>
<header><div>{{ .Params.siteName }}</div><nav><ul>{{ range .Params.nav }}<li><a href="{{ .path }}">{{ .name }}</a></li>{{ end }}</ul></nav></header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer><span>党政机关网站标识</span><ul><li>主办单位：{{ .Params.sponsor }}</li><li>联系方式：{{ .Params.phone }}</li><li>网站标识码：{{ .Params.siteIdCode }}</li><li>{{ .Params.icp }}</li><li>{{ .Params.psb }}</li></ul><a href="https://zfwzzc.www.gov.cn/">我为政府网站找错</a></footer>
</body></html>`;
const SINGLE = `{{ define "main" }}<article>{{ with .Params.docNumber }}<table><tr><th>发文字号</th><td>{{ . }}</td><th>发文机关</th><td>{{ $.Params.issuer }}</td></tr></table>{{ end }}<h1>{{ .Title }}</h1><p>发布时间：{{ .Params.pubDate }} 来源：{{ .Params.source }}</p><div>{{ .Content }}</div></article>{{ end }}`;
const LIST = `{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range (.Paginate .RegularPagesRecursive.ByDate.Reverse).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Params.pubDate }}</time></li>{{ end }}</ul>{{ template "_internal/pagination.html" . }}{{ end }}`;

export function writeHugoSite(store: Store, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'layouts/_default'), { recursive: true });
  mkdirSync(join(dir, 'static'), { recursive: true });
  writeFileSync(
    join(dir, 'hugo.toml'),
    `baseURL = "https://cluster.invalid/"\nlanguageCode = "zh-cn"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\npaginate = ${LIST_PAGE_SIZE}\n[markup.goldmark.renderer]\n  unsafe = true\n`,
  );
  writeFileSync(join(dir, 'layouts/_default/baseof.html'), BASEOF);
  writeFileSync(join(dir, 'layouts/_default/single.html'), SINGLE);
  writeFileSync(join(dir, 'layouts/_default/list.html'), LIST);
  writeFileSync(join(dir, 'static/site.css'), 'body{font-family:sans-serif}');
  const json = (v: unknown) => JSON.stringify(v);
  const columnsBySite = new Map<string, typeof store.columns>();
  for (const c of store.columns) columnsBySite.set(c.siteId, [...(columnsBySite.get(c.siteId) ?? []), c]);
  for (const site of store.sites) {
    const cols = columnsBySite.get(site.id) ?? [];
    const common = {
      siteName: site.name,
      siteDomain: site.domains[0],
      siteIdCode: site.idCode,
      sponsor: site.sponsor,
      phone: site.contact.phone,
      icp: site.icp,
      psb: site.psb,
      nav: cols.filter((c) => !c.parentId).map((c) => ({ name: c.name, path: `/${site.id}/${c.slug}/` })),
    };
    mkdirSync(join(dir, 'content', site.id), { recursive: true });
    writeFileSync(join(dir, 'content', site.id, '_index.md'), json({ title: site.name, ...common }) + '\n');
    for (const c of cols) {
      const cdir = join(dir, 'content', site.id, c.slug);
      mkdirSync(cdir, { recursive: true });
      writeFileSync(
        join(cdir, '_index.md'),
        json({ title: c.name, ...common, columnName: c.name, columnDescription: c.description, columnKeywords: c.keywords.join(','), columnType: c.kind }) +
          '\n',
      );
    }
  }
  const slugOf = new Map(store.columns.map((c) => [c.id, c]));
  for (const p of store.placements) {
    const doc = store.documents.get(p.documentId)!;
    const col = slugOf.get(p.columnId)!;
    const site = store.sites.find((s) => s.id === p.siteId)!;
    const front = {
      title: doc.title,
      date: doc.publishedAt,
      siteName: site.name,
      siteDomain: site.domains[0],
      siteIdCode: site.idCode,
      sponsor: site.sponsor,
      phone: site.contact.phone,
      icp: site.icp,
      psb: site.psb,
      columnName: col.name,
      columnDescription: col.description,
      columnKeywords: col.keywords.join(','),
      columnType: col.kind,
      pubDate: formatPublishTime(doc.publishedAt),
      source: doc.source,
      keywords: doc.keywords,
      summary: doc.summary,
      docNumber: doc.docNumber,
      issuer: doc.issuer,
    };
    writeFileSync(join(dir, 'content', site.id, col.slug, `${doc.id}.html`), json(front) + '\n' + doc.bodyHtml + '\n');
  }
}
