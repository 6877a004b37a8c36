/** Text the platform stores carries no character XML forbids; names from outside never find inherited properties. */
import { describe, expect, it } from 'vitest';
import { DocumentSchema, QaEntryInputSchema, attachmentType, contentTypeFor, lookup, sanitizeHtml, stripControls } from '../src/index.ts';

describe('characters XML forbids', () => {
  it('are dropped, and everything else is kept (tabs, newlines, CJK, emoji, supplementary ideographs)', () => {
    expect(stripControls('a\u0000b\u0008c\u000bd\u001fe\u007ff\u0085g\uFFFEh\uFFFFi')).toBe('abcdefghi');
    expect(stripControls('甲\t乙\n丙\r丁 😀 𬱖')).toBe('甲\t乙\n丙\r丁 😀 𬱖');
    expect(stripControls('x\uD800y\uDC00z')).toBe('xyz'); // unpaired surrogates
  });

  it('are dropped by the schemas before their own checks, in titles, lists, Q&A and bodies', () => {
    const doc = DocumentSchema.shape;
    expect(doc.title.parse('  关于\u0000开展检查的通知 ')).toBe('关于开展检查的通知');
    expect(doc.keywords.parse(['检查\u0007', '安全'])).toEqual(['检查', '安全']);
    expect(doc.title.safeParse('\u0000\u0001甲').success).toBe(false); // one character left: below the minimum of 2
    expect(QaEntryInputSchema.shape.question.parse('怎么\u0000办理社保？')).toBe('怎么办理社保？');
    expect(sanitizeHtml('<p>a\u0000b&#1;c&#x1b;d</p>')).toBe('<p>abcd</p>');
  });
});

describe('names from outside', () => {
  it('never find what every object inherits', () => {
    const table = { pdf: 1 };
    for (const k of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) expect(lookup(table, k), k).toBeUndefined();
    expect(lookup(table, 'pdf')).toBe(1);
    expect(lookup(table, undefined)).toBeUndefined();
    expect(sanitizeHtml('<constructor>甲</constructor><tostring>乙</tostring><hasownproperty>丙')).toBe('甲乙丙');
    expect(attachmentType('x.constructor', new Uint8Array(16))).toMatchObject({ ok: false });
    expect(contentTypeFor('a.constructor')).toBe('application/octet-stream');
    expect(contentTypeFor('a.html')).toContain('text/html');
  });
});
