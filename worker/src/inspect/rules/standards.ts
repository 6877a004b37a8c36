/**
 * 网站规范性 (《政府网站发展指引》 and the national inspection): the meta tags every page of a government site
 * carries (site name, domain, 网站标识码; a column's name and type; an article's title, date and source), the
 * footer items (主办单位, 联系方式, 网站标识码, ICP 备案号, 公安机关备案号, 党政机关网站标识), the 我为政府网站找错
 * entry, dates in the national format, and a text alternative on every content image.
 */
import type { FindingDraft, SiteInput } from '../types.ts';
import type { PageFacts } from '../page.ts';

const SITE_METAS = ['SiteName', 'SiteDomain', 'SiteIDCode'] as const;
const COLUMN_METAS = ['ColumnName', 'ColumnType'] as const;
const ARTICLE_METAS = ['ArticleTitle', 'PubDate', 'ContentSource'] as const;

/** Footer items: the data-footer mark the templates put on each, or the words that show it in any markup. */
const FOOTER_ITEMS = {
  sponsor: { label: '主办单位', text: /主办(单位)?[:：]/ },
  contact: { label: '联系方式', text: /联系(方式|电话|我们)/ },
  icp: { label: 'ICP 备案号', text: /ICP备\d{8}号/ },
  psb: { label: '公安机关备案号', text: /公网安备\s?\d{14}号/ },
  conac: { label: '党政机关网站标识', text: /党政机关/ },
} as const;

const PUBDATE = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/;
/** Dates as a page may show them: 2026-12-04, 2026-12-04 01:27, 2026年12月4日. */
const SHOWN_DATE = /^(\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?|\d{4}年\d{1,2}月\d{1,2}日( \d{2}:\d{2})?)$/;

type PageKind = 'home' | 'column' | 'article' | 'other';

export function standards(input: SiteInput, kindOf: (path: string) => PageKind): FindingDraft[] {
  const out: FindingDraft[] = [];
  const { site } = input;
  for (const [path, page] of input.pages) {
    const kind = kindOf(path);
    if (kind === 'other') continue;
    const needed: readonly string[] = [...SITE_METAS, ...(kind !== 'home' ? COLUMN_METAS : []), ...(kind === 'article' ? ARTICLE_METAS : [])];
    const missing = needed.filter((n) => !(page.metas.get(n) ?? '').trim());
    if (missing.length) out.push({ kind: 'meta-missing', url: path, target: missing.join(','), message: `页面缺少元数据 ${missing.join('、')}`, excerpt: '' });
    if (kind === 'article') {
      const pub = page.metas.get('PubDate');
      if (pub && !PUBDATE.test(pub))
        out.push({ kind: 'time-format', url: path, target: 'PubDate', message: `PubDate 元数据“${pub.slice(0, 40)}”不是 YYYY-MM-DD HH:MM 格式`, excerpt: '' });
    }
    const badTime = page.times.find((t) => t.inMain && t.text && !SHOWN_DATE.test(t.text));
    if (badTime)
      out.push({
        kind: 'time-format',
        url: path,
        target: 'shown',
        message: `发布时间“${badTime.text.slice(0, 40)}”格式不规范（应为 YYYY-MM-DD 或 YYYY年M月D日）`,
        excerpt: '',
      });
    for (const img of page.images)
      if (img.inMain && img.alt === null)
        out.push({ kind: 'image-alt', url: path, target: img.src.slice(0, 300), message: '图片缺少替代文本（alt）', excerpt: img.src.slice(0, 120) });
    if (kind === 'home') out.push(...homeFindings(page, site.idCode));
  }
  return out;
}

/** The footer, 网站标识码 and 找错 entry, read on the home page (the footer is the same on every page). */
function homeFindings(page: PageFacts, idCode: string): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const [item, spec] of Object.entries(FOOTER_ITEMS))
    if (!page.footerItems.has(item) && !spec.text.test(page.footerText))
      out.push({ kind: 'footer-missing', url: '/', target: item, message: `页脚缺少${spec.label}`, excerpt: page.footerText.slice(0, 120) });
  const shown = page.footerText.match(/网站标识码[:：]?\s*(\d{10})/)?.[1];
  const meta = page.metas.get('SiteIDCode');
  if (shown !== idCode || meta !== idCode)
    out.push({
      kind: 'idcode-missing',
      url: '/',
      target: 'idcode',
      message: !shown ? '页脚未显示网站标识码' : shown !== idCode ? `页脚的网站标识码 ${shown} 与登记的 ${idCode} 不符` : `SiteIDCode 元数据应为 ${idCode}`,
      excerpt: '',
    });
  const zhaocuo = page.links.find((l) => /zfwzzc\.www\.gov\.cn/.test(l.href) || l.text.includes('我为政府网站找错'));
  if (!zhaocuo) out.push({ kind: 'zhaocuo-missing', url: '/', target: 'zhaocuo', message: '首页缺少“我为政府网站找错”入口', excerpt: '' });
  else if (!zhaocuo.href.includes(idCode))
    out.push({
      kind: 'zhaocuo-missing',
      url: '/',
      target: 'zhaocuo',
      message: '“我为政府网站找错”入口未带本站网站标识码',
      excerpt: zhaocuo.href.slice(0, 160),
    });
  return out;
}
