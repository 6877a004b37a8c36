/**
 * Exports often write a bare `&` (“交通 & 运输”, a URL's query string) where XML needs `&amp;`; saxes cannot
 * recover from one and would lose the rest of the file. This pass escapes every `&` that does not start an entity
 * or character reference, outside CDATA sections (where `&` is literal), as the text streams by. The last 40
 * characters of each chunk wait for the next one, so a reference or `<![CDATA[` cut by a chunk boundary is seen whole.
 */
const REFERENCE = /^&(#\d{1,7};|#x[0-9a-fA-F]{1,6};|[A-Za-z_][\w.-]{0,30};)/;
const HOLD = 40;

export async function* escapeBareAmpersands(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let inCdata = false;
  /** Rewrites s up to `limit` (tokens starting before it are read whole); returns the text and where it stopped. */
  const step = (s: string, limit: number): [string, number] => {
    let out = '';
    let i = 0;
    while (i < limit) {
      if (inCdata) {
        const end = s.indexOf(']]>', i);
        if (end < 0 || end >= limit) return [out + s.slice(i, limit), limit];
        out += s.slice(i, end + 3);
        i = end + 3;
        inCdata = false;
        continue;
      }
      const amp = s.indexOf('&', i);
      const cdata = s.indexOf('<![CDATA[', i);
      const a = amp < 0 || amp >= limit ? Infinity : amp;
      const c = cdata < 0 || cdata >= limit ? Infinity : cdata;
      if (a === Infinity && c === Infinity) return [out + s.slice(i, limit), limit];
      if (c < a) {
        out += s.slice(i, c + 9);
        i = c + 9;
        inCdata = true;
        continue;
      }
      out += s.slice(i, a) + (REFERENCE.test(s.slice(a, a + 40)) ? '&' : '&amp;');
      i = a + 1;
    }
    return [out, i];
  };
  let carry = '';
  for await (const chunk of chunks) {
    const s = carry + chunk;
    const [out, stop] = step(s, Math.max(0, s.length - HOLD));
    carry = s.slice(stop);
    if (out) yield out;
  }
  const [out] = step(carry, carry.length);
  if (out) yield out;
}
