/**
 * The 政策问答 answer card above the search results: the answer, and the document it cites with its 发文字号,
 * 发布机关, date and validity. An answer quoted from a document says so (摘自文件原文) and is shown in quotation
 * marks: the words are the document's, not an editor's. A citizen acts on an answer, so one resting on a document no longer in force says so
 * before the answer, in words, not only by colour. Styles are inline: the card goes into a page whose
 * stylesheet belongs to the search page.
 */
import { html } from 'hono/html';
import { cstDate } from '@ywtc/cms-schema';
import type { PolicyAnswer } from './answer.ts';

const BADGE: Record<string, string> = {
  有效: 'border:1px solid #1d6b31;color:#1d6b31',
  失效: 'border:1px solid #a3120f;color:#a3120f',
  废止: 'border:1px solid #a3120f;color:#a3120f',
};
const isStale = (validity: string | null) => validity === '失效' || validity === '废止';

/** `href`: where the source document is read (null when no site shows it; the title is then plain text). */
export function qaCard(a: PolicyAnswer, href: string | null) {
  const s = a.source;
  const stale = isStale(s.validity);
  return html`<section class="qa-card" aria-labelledby="qa-card-title" style="border:2px solid ${stale ? '#a3120f' : '#0b4f9c'};border-radius:6px;padding:.6rem 1rem;margin:1rem 0;background:#f7fafd">
<h2 id="qa-card-title" style="font-size:1.2rem;margin:.2rem 0 .4rem">政策问答</h2>
${stale ? html`<p class="qa-stale" role="note" style="margin:.3rem 0;padding:.3rem .6rem;background:#fdecea;border-left:4px solid #a3120f;font-weight:600">该文件已失效，答复仅供参考</p>` : ''}
<p style="margin:.3rem 0;font-weight:600">问：${a.question}</p>
${
  a.from === 'document'
    ? html`<p style="margin:.3rem 0">摘自文件原文：</p>
<blockquote class="qa-passage" style="margin:.3rem 0 .3rem 1rem;padding-left:.6rem;border-left:4px solid #0b4f9c">“${a.answer}”</blockquote>`
    : a.answer
        .split(/\n+/)
        .filter((p) => p.trim())
        .map((p, i) => html`<p style="margin:.3rem 0">${i === 0 ? '答：' : ''}${p}</p>`)
}
<p class="meta" style="margin:.5rem 0 .2rem">来源：${href ? html`<a href="${href}">${s.title}</a>` : s.title}${s.docNumber ? html`　发文字号：${s.docNumber}` : ''}${s.issuer ? html`　发布机关：${s.issuer}` : ''}　发布日期：${cstDate(s.publishedAt)}${s.validity ? html`　<span class="badge qa-validity" style="${BADGE[s.validity] ?? ''};padding:0 .3rem;border-radius:3px">${s.validity}</span>` : ''}</p>
</section>`;
}
