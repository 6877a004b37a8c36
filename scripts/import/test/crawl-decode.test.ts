import { describe, expect, it } from 'vitest';
import { charsetOfMeta, decodeHtml, encodingOf } from '../crawl/decode.ts';
import { encodeGbk } from '../fixtures/gbk.ts';

const page = (head: string) =>
  `<!DOCTYPE html><html><head>${head}<title>示例：南宁市人大常委会召开主任会议</title></head><body><p>“代表接待日”活动</p></body></html>`;

describe('decoding pages', () => {
  it('reads GBK declared only by the Content-Type header', () => {
    const d = decodeHtml(encodeGbk(page('')), 'text/html; charset=GBK');
    expect(d).toMatchObject({ encoding: 'gb18030', by: 'header' });
    expect(d.text).toContain('示例：南宁市人大常委会召开主任会议');
  });

  it('reads GB2312 declared by <meta http-equiv> and by <meta charset>', () => {
    const a = decodeHtml(encodeGbk(page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')), 'text/html');
    expect(a).toMatchObject({ encoding: 'gb18030', by: 'meta' });
    expect(a.text).toContain('“代表接待日”活动');
    const b = decodeHtml(encodeGbk(page('<meta charset=gbk>')), null);
    expect(b.by).toBe('meta');
    expect(b.text).toContain('南宁市人大常委会');
  });

  it('sniffs undeclared bytes: valid UTF-8 is UTF-8, anything else GB18030', () => {
    const gbk = decodeHtml(encodeGbk(page('')), 'text/html');
    expect(gbk).toMatchObject({ encoding: 'gb18030', by: 'sniff' });
    expect(gbk.text).toContain('南宁市人大常委会');
    const utf = decodeHtml(new TextEncoder().encode(page('')), 'text/html');
    expect(utf).toMatchObject({ encoding: 'utf-8', by: 'sniff' });
    expect(utf.text).toContain('南宁市人大常委会');
  });

  it('lets a byte-order mark win and drops it', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(page(''))]);
    const d = decodeHtml(bytes, 'text/html; charset=gbk');
    expect(d.by).toBe('bom');
    expect(d.text.startsWith('<!DOCTYPE')).toBe(true);
  });

  it('maps the GB labels and ignores unknown ones', () => {
    expect(encodingOf('GB2312')).toBe('gb18030');
    expect(encodingOf('"x-gbk"')).toBe('gb18030');
    expect(encodingOf('utf8')).toBe('utf-8');
    expect(encodingOf('no-such-charset')).toBeNull();
    expect(charsetOfMeta(new TextEncoder().encode('<meta charset="no-such">'))).toBeNull();
  });

  it('writes characters outside GBK as character references', () => {
    const bytes = encodeGbk('人大𬱖');
    expect(new TextDecoder('gbk').decode(bytes)).toBe(`人大&#${'𬱖'.codePointAt(0)};`);
  });
});
