/**
 * The inspection pages' own styles, served as a file (the admin CSP allows no inline style) and linked from those
 * pages only: report tables, verdict colours, and the print layout — no navigation or forms, each site's report
 * on new pages, links written out — so Chromium's 打印 → 另存为 PDF gives the report as it is filed.
 */
import { html } from 'hono/html';

export const INSPECT_CSS = '/admin/inspect/inspect.css';
/** The link to it, placed in the page's body (a stylesheet link is body-ok; adminPage's head is every admin page's). */
export const inspectStyle = html`<link rel="stylesheet" href="${INSPECT_CSS}">`;

export const INSPECT_STYLE = `
.report-facts{width:auto;min-width:28rem}.report-facts th{white-space:nowrap;padding-right:2rem}
.verdict.pass{color:#1b5e20}.verdict.fail{color:#b3121b}.err-text{color:#b3121b}.escalated{color:#8a3b00}
.excerpt{color:#333;font-size:.95rem}blockquote.excerpt{margin:.3rem 0;padding:.3rem .8rem;border-left:4px solid #ccc;background:#f7f7f7}
table.evidence td,table.evidence code{word-break:break-all}
.print-only{display:none}
@media print{
  @page{size:A4;margin:16mm 14mm}
  body{font-size:11pt;line-height:1.5}
  header.top,.skip,nav,form,.no-print,.pager{display:none!important}
  .print-only{display:block}
  main{max-width:none;padding:0}
  h1{font-size:18pt;text-align:center}h2{font-size:14pt;border-bottom:1px solid #000}
  a{color:inherit;text-decoration:none}
  .evidence-url::after{content:" （" attr(href) "）";font-size:9pt;word-break:break-all}
  table{page-break-inside:auto}tr,th,td{page-break-inside:avoid;break-inside:avoid}thead{display:table-header-group}
  h2,h3,h4{break-after:avoid;page-break-after:avoid}
  .site-report+.site-report,.region-detail .site-report{break-before:page;page-break-before:always}
}
`;
