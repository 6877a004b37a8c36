import { describe, expect, it } from 'vitest';
import { escapeBareAmpersands } from '../files/xml-ampersands.ts';
import { collect } from './files-helpers.ts';

async function* pieces(s: string, size: number) {
  for (let i = 0; i < s.length; i += size) yield s.slice(i, i + size);
}

describe('bare ampersands in XML', () => {
  const xml = '<a t="x&y">A & B &amp; C &#38; &#x26; &nbsp; &lt;<![CDATA[ & ]]&gt; &amp; ]]> & end</a>';
  const want = '<a t="x&amp;y">A &amp; B &amp; C &#38; &#x26; &nbsp; &lt;<![CDATA[ & ]]&gt; &amp; ]]> &amp; end</a>';
  it.each([1, 2, 3, 7, 41, 1000])('are escaped outside CDATA, references kept, whatever the chunk size (%i)', async (size) => {
    expect((await collect(escapeBareAmpersands(pieces(xml, size)))).join('')).toBe(want);
  });
});
