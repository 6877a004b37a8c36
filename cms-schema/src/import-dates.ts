/**
 * Dates as older government sites and exports write them, read into the platform's forms. Pages write 发布时间 as
 * `2021-03-05 09:30`, `2021/3/5`, `2021.03.05`, `2021年3月5日`, `二〇二一年三月五日`, often with a label around it
 * (`发布时间：2021-03-05  来源：…`); exports carry ISO instants or epoch seconds. A wall-clock time without a zone is
 * China time (UTC+8), as on the pages it came from. Nothing is guessed: text without a whole date is null, and a
 * date that does not exist (2021-02-30) is null, so the record is reported rather than re-dated.
 */

const HAN_DIGITS: Record<string, number> = { 〇: 0, '○': 0, '◯': 0, 零: 0, Ｏ: 0, O: 0, o: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 二〇二一 → 2021 (digit by digit); 十二 / 二十三 / 三十一 → 12 / 23 / 31 (a month or day written as a number). */
function hanNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (!s.includes('十')) {
    let n = 0;
    for (const ch of s) {
      const d = HAN_DIGITS[ch];
      if (d === undefined) return null;
      n = n * 10 + d;
    }
    return s.length ? n : null;
  }
  const [tens, ones] = s.split('十') as [string, string];
  const t = tens === '' ? 1 : HAN_DIGITS[tens];
  const o = ones === '' ? 0 : HAN_DIGITS[ones];
  return t === undefined || o === undefined ? null : t * 10 + o;
}

const pad = (n: number) => String(n).padStart(2, '0');
function validDay(y: number, m: number, d: number): string | null {
  if (y < 1949 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCMonth() === m - 1 ? `${y}-${pad(m)}-${pad(d)}` : null;
}

export interface ParsedDate {
  /** YYYY-MM-DD, the calendar day in China time. */
  date: string;
  /** HH:MM:SS in China time, when the text gave one. */
  time: string | null;
}

const HAN = '〇○◯零ＯOo一二三四五六七八九十';
const NUMERIC = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?/;
const HAN_DATE = new RegExp(`([${HAN}]{4})\\s*年\\s*([${HAN}]{1,3})\\s*月\\s*([${HAN}]{1,3})\\s*日`);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The first whole date (and time) in `text`, or null. Full-width digits and punctuation are read as ASCII. */
export function parseChineseDate(text: string): ParsedDate | null {
  const s = text.normalize('NFKC').trim();
  if (ISO_INSTANT.test(s)) {
    const ms = Date.parse(s);
    if (Number.isNaN(ms)) return null;
    const t = new Date(ms + 8 * 3_600_000);
    const date = validDay(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
    return date ? { date, time: `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}` } : null;
  }
  if (/^\d{10}(\d{3})?$/.test(s)) return parseChineseDate(new Date(s.length === 10 ? Number(s) * 1000 : Number(s)).toISOString());
  const m = NUMERIC.exec(s);
  if (m) {
    const date = validDay(Number(m[1]), Number(m[2]), Number(m[3]));
    if (!date) return null;
    const h = m[4] === undefined ? null : Number(m[4]);
    const min = m[5] === undefined ? null : Number(m[5]);
    const sec = m[6] === undefined ? 0 : Number(m[6]);
    const time = h !== null && min !== null && h < 24 && min < 60 && sec < 60 ? `${pad(h)}:${pad(min)}:${pad(sec)}` : null;
    return { date, time };
  }
  const h = HAN_DATE.exec(s);
  if (h) {
    const [y, mo, d] = [hanNumber(h[1]!), hanNumber(h[2]!), hanNumber(h[3]!)];
    const date = y !== null && mo !== null && d !== null ? validDay(y, mo, d) : null;
    return date ? { date, time: null } : null;
  }
  return null;
}

/** The instant (UTC ISO) of a parsed date: its China-time wall clock, midnight when no time was given. */
export function instantOf(p: ParsedDate): string {
  return new Date(`${p.date}T${p.time ?? '00:00:00'}+08:00`).toISOString();
}
