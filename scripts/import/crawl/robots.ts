/**
 * robots.txt as RFC 9309 reads it: the group of the most specific User-agent line naming our product token (else
 * `*`), its Allow/Disallow rules matched by the longest pattern (`*` wildcards, `$` end anchor; a tie goes to Allow),
 * plus the de-facto Crawl-delay (seconds) and Sitemap lines.
 */

export interface RobotsRules {
  /** May the crawler fetch this path (with its query)? */
  allows(pathAndQuery: string): boolean;
  /** Crawl-delay of our group, in milliseconds, or null. */
  crawlDelayMs: number | null;
  sitemaps: string[];
}

interface Rule {
  allow: boolean;
  pattern: string;
  regex: RegExp;
}
interface Group {
  agents: string[];
  rules: Rule[];
  crawlDelayMs: number | null;
}

/** Percent-encodes what a browser would (non-ASCII, spaces) so a Chinese path in robots.txt matches the URL's form. */
const canonicalPath = (p: string): string => {
  try {
    return encodeURI(decodeURI(p));
  } catch {
    return p;
  }
};

const patternRegex = (pattern: string): RegExp => {
  const anchored = pattern.endsWith('$');
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((part) => canonicalPath(part).replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
};

export function parseRobots(text: string, userAgent: string): RobotsRules {
  const groups: Group[] = [];
  const sitemaps: string[] = [];
  let current: Group | null = null;
  let lastWasAgent = false;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (key === 'user-agent') {
      if (!current || !lastWasAgent) groups.push((current = { agents: [], rules: [], crawlDelayMs: null }));
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (key === 'sitemap') {
      if (value) sitemaps.push(value);
    } else if (!current) {
      continue; // rules before any User-agent line belong to no group
    } else if (key === 'allow' || key === 'disallow') {
      if (value) current.rules.push({ allow: key === 'allow', pattern: value, regex: patternRegex(value) });
      // an empty Disallow allows everything: no rule needed
    } else if (key === 'crawl-delay') {
      const s = Number(value);
      if (Number.isFinite(s) && s >= 0) current.crawlDelayMs = Math.round(s * 1000);
    }
  }

  // The product token is the user agent up to its first "/" or space: "ywtc-import/1 (+…)" → "ywtc-import".
  const token = userAgent.split(/[/\s]/)[0]!.toLowerCase();
  let bestLength = 0;
  let chosen: Group[] = [];
  for (const g of groups) {
    for (const agent of g.agents) {
      if (agent !== '*' && token.startsWith(agent) && agent.length >= bestLength) {
        if (agent.length > bestLength) chosen = [];
        bestLength = agent.length;
        if (!chosen.includes(g)) chosen.push(g);
      }
    }
  }
  if (!chosen.length) chosen = groups.filter((g) => g.agents.includes('*'));
  const rules = chosen.flatMap((g) => g.rules);
  const delays = chosen.map((g) => g.crawlDelayMs).filter((d): d is number => d !== null);

  return {
    crawlDelayMs: delays.length ? Math.max(...delays) : null,
    sitemaps,
    allows(pathAndQuery) {
      if (pathAndQuery === '/robots.txt') return true;
      const path = canonicalPath(pathAndQuery);
      let verdict: Rule | null = null;
      for (const r of rules) {
        if (!r.regex.test(path)) continue;
        if (!verdict || r.pattern.length > verdict.pattern.length || (r.pattern.length === verdict.pattern.length && r.allow)) verdict = r;
      }
      return verdict ? verdict.allow : true;
    },
  };
}

export const ALLOW_ALL: RobotsRules = { allows: () => true, crawlDelayMs: null, sitemaps: [] };
export const DISALLOW_ALL: RobotsRules = { allows: (p) => p === '/robots.txt', crawlDelayMs: null, sitemaps: [] };
