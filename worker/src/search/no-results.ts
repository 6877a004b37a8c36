/**
 * What a search that found nothing says: that it found nothing, then what else to try — the corrected query,
 * a broader one, every site instead of this one, no filters — and whom to ask: the 12345 hotline and the
 * site's 留言咨询 form. Every suggestion was run first (broader.ts), so each one offered finds something.
 */
import { html } from 'hono/html';

export interface NoResultHelp {
  /** A shorter query that finds something, with how much. */
  broader: { q: string; total: number } | null;
  /** How much the same query finds on every site (only asked on a site's own search). */
  allSites: { href: string; total: number } | null;
  /** How much it finds without the filters chosen. */
  unfiltered: { href: string; total: number } | null;
  /** The 留言咨询 form of the site searched (or of the region's portal on the platform). */
  consultHref: string | null;
}

/** `answered`: a 政策问答 card above already answers; then only the other results are missing. */
export function noResults(
  q: string,
  help: NoResultHelp | null,
  suggestionHref: string | null,
  suggestion: string | null,
  queryLink: (q: string) => string,
  answered = false,
) {
  const h = help;
  return html`<section class="nothing" aria-labelledby="nothing-title" role="status">
<h2 id="nothing-title">${answered ? `除上面的答复外，没有找到与“${q}”相关的其他信息` : `没有找到与“${q}”相关的信息`}</h2>
<p>您可以：</p>
<ul>
${suggestion && suggestionHref ? html`<li>检查错别字，您是不是要找：<a href="${suggestionHref}">${suggestion}</a></li>` : ''}
${h?.broader ? html`<li>换个更简短的说法：<a href="${queryLink(h.broader.q)}">${h.broader.q}</a>（${h.broader.total} 条结果）</li>` : ''}
${h?.allSites ? html`<li>在全部网站中搜索：<a href="${h.allSites.href}">“${q}”</a>（${h.allSites.total} 条结果）</li>` : ''}
${h?.unfiltered ? html`<li>去掉筛选条件再搜索：<a href="${h.unfiltered.href}">“${q}”</a>（${h.unfiltered.total} 条结果）</li>` : ''}
<li>拨打 <strong>12345</strong> 政务服务便民热线咨询（7×24 小时）。</li>
${h?.consultHref ? html`<li>通过<a href="${h.consultHref}">留言咨询</a>把问题留给我们，答复后可凭查询码查看。</li>` : ''}
</ul>
</section>`;
}
