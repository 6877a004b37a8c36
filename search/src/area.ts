/**
 * 地区 of a document: whose government issued it. Search ranks by it (a reader in 兴宁区 sees 兴宁区, 南宁市 and
 * 广西 documents first, national ones next, other provinces' last) and every result shows it. It is read from
 * the issuer (发文机关), else the 来源, else a place name opening the title — the text of the document, not where it
 * is placed: the region portal keeps other provinces' policies in a reference column, and that does not make them
 * Guangxi's.
 */
import { z } from 'zod';
import { GUANGXI_DIVISIONS } from './guangxi-divisions.ts';

export const AreaSchema = z.object({
  /** guangxi: a Guangxi unit's; national: the central government's; other: another province's (or a place not in Guangxi). */
  scope: z.enum(['guangxi', 'national', 'other']),
  /** What a result shows: 南宁市, 广西, 全国, 河北省 … */
  name: z.string().min(1).max(30),
  /** The Guangxi division (6 digits) when the issuer names one. */
  code: z
    .string()
    .regex(/^45\d{4}$/)
    .nullable()
    .default(null),
});
export type Area = z.infer<typeof AreaSchema>;

const REGION: Area = { scope: 'guangxi', name: '广西', code: '450000' };
const NATIONAL: Area = { scope: 'national', name: '全国', code: null };

/** County-level names are matched whole (城中区 alone is also a district of 西宁); cities also by their short name. */
const PLACES: { pattern: string; code: string; name: string }[] = GUANGXI_DIVISIONS.flatMap(([code, name]) =>
  code.endsWith('00')
    ? [
        { pattern: name, code, name },
        { pattern: name.replace(/市$/, ''), code, name },
      ]
    : [{ pattern: name, code, name }],
).sort((a, b) => b.pattern.length - a.pattern.length);

/** Central organs, opening the name: the Party centre, the State Council, the NPC, ministries, commissions, bureaus. */
const CENTRAL =
  /^(中共中央|中国政府网|国务院|全国|国家|最高人民|中华人民共和国|中央|中国人民银行|[\u4e00-\u9fa5]{1,10}?(部(?![署门分队])|总局|总署|银保监会|证监会))/;
/** A place opening an issuer: 河北省…, 绍兴市…, 通州区… (not 市场…, as in 国家市场监督管理总局). */
const ISSUER_PLACE = /^(?:中共)?([\u4e00-\u9fa5]{2,7}?(?:省|自治区|特别行政区|市(?![场民])|自治州|地区|盟|县(?!域)|区(?![域划])))/;
/** In a title only a province, city or county opening it counts (城乡社区… is not a place). */
const TITLE_PLACE = /^([\u4e00-\u9fa5]{2,6}?(?:省|自治区|市(?![场民])|自治州|县(?![域级])))/;

function guangxiPlace(text: string): Area | null {
  if (text.includes('广西') || text.startsWith('桂政')) {
    const p = PLACES.find((x) => text.includes(x.pattern));
    return p ? { scope: 'guangxi', name: p.name, code: p.code } : REGION;
  }
  const p = PLACES.find((x) => text.startsWith(x.pattern) || text.startsWith('中共' + x.pattern));
  return p ? { scope: 'guangxi', name: p.name, code: p.code } : null;
}

function areaOfText(text: string, place: RegExp): Area | null {
  const t = text.trim();
  if (!t) return null;
  const gx = guangxiPlace(t);
  if (gx) return gx;
  const other = place.exec(t)?.[1];
  if (other) return { scope: 'other', name: other, code: null };
  return CENTRAL.test(t) ? NATIONAL : null;
}

/**
 * The issuer decides; a document without one (解读, 通知) is placed by its 来源, then by its title. A text naming
 * no place at all is left unknown (null): search neither lifts nor demotes it.
 */
export function documentArea(d: { issuer: string | null; source?: string | null; title: string }): Area | null {
  return (d.issuer ? areaOfText(d.issuer, ISSUER_PLACE) : null) ?? (d.source ? areaOfText(d.source, ISSUER_PLACE) : null) ?? areaOfText(d.title, TITLE_PLACE);
}

/** Where the reader is: the site searched and its unit's division (450000, the region, on the platform's own search). */
export const ReaderSchema = z.object({
  siteId: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .nullable(),
  division: z.string().regex(/^\d{6}$/),
});
export type Reader = z.infer<typeof ReaderSchema>;

/**
 * How much nearer to the reader a document is, as a factor on its relevance: shown on the reader's own site or
 * issued by its unit, its city, the region, then the centre. Other provinces are not lifted here; they are
 * ranked after everything else (d1-search.ts).
 */
export function nearness(area: Area | null, shownOnSite: boolean, reader: Reader): number {
  if (shownOnSite || (area?.code && area.code === reader.division)) return 1.6;
  if (area?.scope === 'guangxi') {
    if (area.code && reader.division !== '450000' && area.code.slice(0, 4) === reader.division.slice(0, 4)) return 1.4;
    return 1.25;
  }
  // A document whose 地区 cannot be read is not known to be far: it ranks as a national one would. (Lifting
  // national documents above unplaced ones cost the dev questions 0.17 nDCG@10: most answers there are unplaced.)
  if (area?.scope === 'national' || area === null) return 1.15;
  return 1;
}
