/**
 * The 政务公开 block of a government page: 索引号, 发文字号, 成文日期 … written as table rows (th/td or td/td pairs,
 * two pairs to a row), as `<li><span>索引号：</span>value</li>`, or as "索引号：value" in one cell. Labels are matched
 * with spaces and colons removed (pages write "索 引 号：" to align columns).
 */
import { isTag } from 'domhandler';
import type { Document, Element } from './dom.ts';
import { all, squash, textOf } from './dom.ts';

export type GovInfoField = 'indexNumber' | 'docNumber' | 'writtenOn' | 'issuedOn' | 'issuer' | 'topic' | 'validity' | 'source';

const LABELS: Record<string, GovInfoField> = {
  索引号: 'indexNumber',
  发文字号: 'docNumber',
  文号: 'docNumber',
  成文日期: 'writtenOn',
  成文时间: 'writtenOn',
  发布日期: 'issuedOn',
  发布时间: 'issuedOn',
  公开日期: 'issuedOn',
  发文机关: 'issuer',
  发布机关: 'issuer',
  发布机构: 'issuer',
  发文单位: 'issuer',
  主题分类: 'topic',
  有效性: 'validity',
  时效性: 'validity',
  来源: 'source',
};

const labelKey = (s: string): string => s.replace(/[\s\u00a0\u3000:：]/g, '');
const fieldOfLabel = (s: string): GovInfoField | null => LABELS[labelKey(s)] ?? null;

/** "索引号：000014349/2019-00007" in one piece → the field and its value. */
function inlinePair(text: string): [GovInfoField, string] | null {
  const m = /^([^:：]{2,10})[:：]\s*(.+)$/.exec(text);
  if (!m) return null;
  const f = fieldOfLabel(m[1]!);
  return f ? [f, squash(m[2]!)] : null;
}

export type GovInfo = Partial<Record<GovInfoField, string>>;

export function readGovInfo(doc: Document, selectors: readonly string[]): GovInfo {
  const found: GovInfo = {};
  const put = (f: GovInfoField, v: string) => {
    if (v && found[f] === undefined) found[f] = v;
  };
  const seen = new Set<Element>();
  for (const sel of selectors) {
    for (const container of all(sel, doc)) {
      if (seen.has(container)) continue;
      seen.add(container);
      for (const row of all('tr', container)) {
        const cells = row.children.filter((c): c is Element => isTag(c) && (c.name === 'td' || c.name === 'th'));
        for (let i = 0; i < cells.length; i++) {
          const text = textOf(cells[i]!);
          const f = fieldOfLabel(text);
          if (f && i + 1 < cells.length && !fieldOfLabel(textOf(cells[i + 1]!))) {
            put(f, textOf(cells[i + 1]!));
            i++;
          } else {
            const pair = inlinePair(text);
            if (pair) put(...pair);
          }
        }
      }
      for (const li of all('li, p, dd, div', container)) {
        if (li.children.some((c) => isTag(c) && ['li', 'p', 'div', 'table', 'ul'].includes(c.name))) continue;
        const first = li.children.find((c): c is Element => isTag(c));
        const text = textOf(li);
        const label = first && ['span', 'b', 'strong', 'label', 'em', 'dt'].includes(first.name) ? fieldOfLabel(textOf(first)) : null;
        if (label) put(label, squash(text.slice(textOf(first!).length)).replace(/^[:：]\s*/, ''));
        else {
          const pair = inlinePair(text);
          if (pair) put(...pair);
        }
      }
    }
    // The first selector that yields any field is the block; later, vaguer ones (a bare `table`) would only add noise.
    if (Object.keys(found).length) break;
  }
  return found;
}
