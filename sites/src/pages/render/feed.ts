/** Non-HTML outputs of a site: sitemap.xml, rss.xml, robots.txt. */
import type { APIRoute } from 'astro';
import type { FeedModel } from '../../model';
import { escapeHtml as esc, formatDate } from '@ywtc/cms-schema';
import { publicPath } from '../../lib/links';

const rfc822 = (iso: string) => new Date(iso).toUTCString();

export const GET: APIRoute = ({ locals }) => {
  const feed = (locals as { feed?: FeedModel }).feed;
  if (!feed) return new Response('no feed model', { status: 400 });
  const { origin, site } = feed.site;
  if (feed.type === 'robots') return new Response(`User-agent: *\nAllow: /\n\nSitemap: ${origin}/sitemap.xml\n`);
  if (feed.type === 'sitemap-xml') {
    const urls = feed.urls.map((u) => `<url><loc>${esc(u.loc)}</loc>${u.lastmod ? `<lastmod>${formatDate(u.lastmod)}</lastmod>` : ''}</url>`).join('\n');
    return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls}\n</urlset>\n`);
  }
  const items = feed.items
    .map(
      (d) =>
        `<item><title>${esc(d.title)}</title><link>${esc(origin + publicPath(d.path))}</link><guid isPermaLink="true">${esc(origin + publicPath(d.path))}</guid><pubDate>${rfc822(d.publishedAt)}</pubDate><source url="${esc(origin + '/rss.xml')}">${esc(d.source)}</source><description>${esc(d.summary)}</description></item>`,
    )
    .join('\n');
  const lastBuild = feed.items[0] ? `<lastBuildDate>${rfc822(feed.items[0].publishedAt)}</lastBuildDate>` : '';
  return new Response(
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n<title>${esc(site.name)}</title>\n<link>${esc(origin)}/</link>\n<description>${esc(site.name)}最新发布的信息</description>\n<language>zh-cn</language>\n${lastBuild}\n${items}\n</channel>\n</rss>\n`,
  );
};
