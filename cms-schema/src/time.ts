import { z } from 'zod';

/** Publish times are instants; they are shown in China Standard Time (UTC+8, no DST) as the national rules require. */
const CST_OFFSET_MS = 8 * 3_600_000;

export const InstantSchema = z.iso.datetime({ offset: true, message: '时间须为带时区的 ISO 8601 格式' });
export const DateOnlySchema = z.iso.date({ message: '日期须为 YYYY-MM-DD 格式' });

const pad = (n: number) => String(n).padStart(2, '0');
function cstParts(instant: string | Date) {
  const d = new Date(typeof instant === 'string' ? Date.parse(instant) : instant.getTime());
  const t = new Date(d.getTime() + CST_OFFSET_MS);
  return { y: t.getUTCFullYear(), m: pad(t.getUTCMonth() + 1), d: pad(t.getUTCDate()), hh: pad(t.getUTCHours()), mm: pad(t.getUTCMinutes()) };
}

/** `YYYY-MM-DD HH:MM` in China time — the form 政府网站 pages and the PubDate meta tag use. */
export function formatPublishTime(instant: string | Date): string {
  const p = cstParts(instant);
  return `${p.y}-${p.m}-${p.d} ${p.hh}:${p.mm}`;
}

/**
 * `YYYY-MM-DD`: the calendar day of an instant in China time. Every date the platform shows or stores as a
 * day (发布日期, the year filter, the search log's day) is this day — never the UTC date of the timestamp,
 * which is the previous day from 00:00 to 07:59 Beijing time.
 */
export function formatDate(instant: string | Date): string {
  const p = cstParts(instant);
  return `${p.y}-${p.m}-${p.d}`;
}
export const cstDate = formatDate;

/** The China-time year of an instant (the 年份 filter and facet). */
export const cstYear = (instant: string | Date): number => cstParts(instant).y;

/** An instant at a China-time wall clock, e.g. cstInstant('2019-02-15', '09:30'). */
export function cstInstant(date: string, time = '09:00'): string {
  return `${date}T${time}:00+08:00`;
}
