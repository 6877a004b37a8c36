/**
 * Choices of the 地区 filter: 全区 (45: every site in the region) and each city (4-digit division code), named after the city's
 * portal in the registry. The list changes only when a city is added, so each isolate keeps it for a while.
 */
export interface RegionOption {
  code: string;
  name: string;
}

const TTL_MS = 300_000;
let cache: { list: RegionOption[]; until: number } | null = null;

/** 南宁市人民政府门户网站 → 南宁市. */
const cityName = (siteName: string) => siteName.replace(/人民政府.*$/, '') || siteName;

export async function regionOptions(db: D1Database, now = Date.now()): Promise<RegionOption[]> {
  if (cache && cache.until > now) return cache.list;
  const { results } = await db
    .prepare("SELECT name, division_code FROM sites WHERE kind = 'city-portal' ORDER BY division_code")
    .all<{ name: string; division_code: string }>();
  const cities = results.map((r) => ({ code: r.division_code.slice(0, 4), name: cityName(r.name) }));
  const list = [{ code: '45', name: '全区' }, ...cities.filter((c, i) => cities.findIndex((o) => o.code === c.code) === i)];
  if (cities.length) cache = { list, until: now + TTL_MS }; // an empty registry (being seeded) is not kept
  return list;
}
