import { describe, expect, it } from 'vitest';
import { htmlToText, sanitizeHtml, textToHtml } from '../src/index.ts';

describe('sanitizeHtml', () => {
  it.each([
    ['<script>alert(1)</script><p>ok</p>', '<p>ok</p>'],
    ['<img src=x onerror=alert(1)>', '<img src="x">'],
    ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="java\tscript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="&#106;avascript:alert(1)">x</a>', '<a>x</a>'],
    ['<svg><script>alert(1)</script></svg><p>t</p>', '<p>t</p>'],
    ['<iframe src="https://evil"></iframe>', ''],
    ['<p style="color:red" class="c">t</p>', '<p class="c">t</p>'],
    ['<div><p>unclosed', '<div><p>unclosed</p></div>'],
    ['a < b & c', 'a &lt; b &amp; c'],
    ['<a href="https://www.gov.cn/">gov</a>', '<a href="https://www.gov.cn/" rel="noopener noreferrer">gov</a>'],
    ['<img src="data:image/svg+xml,<svg onload=alert(1)>">', '<img>'],
    ['<!-- <script>alert(1)</script> --><p>t</p>', '<p>t</p>'],
    ['<p title="x" onmouseover="a()">t</p>', '<p>t</p>'],
    // A void element that is dropped must not take the rest of the body with it.
    ['<embed src="javascript:alert(1)"><p>after</p>', '<p>after</p>'],
  ])('%s', (input, output) => {
    expect(sanitizeHtml(input)).toBe(output);
  });

  it('is idempotent', () => {
    const once = sanitizeHtml('<p>“双随机、一公开” &amp; <b>监管</b> <a href="/x?a=1&b=2">链接</a></p>');
    expect(sanitizeHtml(once)).toBe(once);
  });
});

describe('text conversions', () => {
  it('turns text paragraphs into escaped <p>s and back', () => {
    const html = textToHtml('第一段 <b>\n\n第二段 & 结束');
    expect(html).toBe('<p>第一段 &lt;b&gt;</p>\n<p>第二段 &amp; 结束</p>');
    expect(htmlToText(html)).toBe('第一段 <b>\n第二段 & 结束');
  });
});

describe('sanitizeHtml on hostile input', () => {
  it('does not throw on out-of-range character references', () => {
    expect(sanitizeHtml('<p>&#x110000;&#99999999;</p>')).toBe('<p>\uFFFD\uFFFD</p>');
  });
  it('stays linear on a long run of unclosed tags', () => {
    const t = performance.now();
    sanitizeHtml('<a'.repeat(100_000));
    expect(performance.now() - t).toBeLessThan(2_000);
  });
  it('decodes entities in URLs once, keeping query strings intact', () => {
    expect(sanitizeHtml('<a href="/x?a=1&amp;amp;b=2">x</a>')).toBe('<a href="/x?a=1&amp;amp;b=2">x</a>');
  });
});

describe('sanitizeHtml on quote-heavy input', () => {
  it('stays fast when quotes never close', () => {
    const t = performance.now();
    sanitizeHtml('<a title="' + '<a "'.repeat(50_000));
    sanitizeHtml(('<a "' + 'x'.repeat(100)).repeat(5_000));
    expect(performance.now() - t).toBeLessThan(2_000);
  });
});
