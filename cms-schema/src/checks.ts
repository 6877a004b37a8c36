/**
 * Pre-publish checks, shown to the editor before submitting; errors block submission, warnings do not. The
 * word and domain lists are data (D1 `check_terms`, seeded from the shared lists, edited by admins), compiled
 * once per isolate into look-ups keyed by the first two characters, so a check is one pass over the text.
 *
 * - typo (warning): a word from the typo list (布署 → 部署); a list word can be right in some context, so it
 *   never blocks;
 * - banned (error) / caution (warning): the Xinhua list of 禁用词 and 慎用词;
 * - illegal-domain (error): a link or a written address on a listed host or below it;
 * - metadata (error): a 政策文件 needs 发文字号 and 成文日期, and 成文日期 cannot be after today (an empty 索引号
 *   is assigned at publish: worker/src/cms/index-numbers.ts);
 * - image-alt (error): every image needs a text alternative (无障碍);
 * - broken-link (error): a link to a page of this platform's sites that does not exist (checked in the Worker,
 *   which can see the live sites: worker/src/cms/internal-links.ts).
 */
import { z } from 'zod';
import { htmlToText } from './sanitize.ts';
import { formatDate } from './time.ts';
import { defineAccess } from './access.ts';

export const CHECK_LISTS = { typo: '易错词', banned: '禁用词', caution: '慎用词', 'illegal-domain': '非法网址' } as const;
export type CheckList = keyof typeof CHECK_LISTS;
export const CheckListSchema = z.enum(Object.keys(CHECK_LISTS) as [CheckList, ...CheckList[]]);

export const CheckTermSchema = z.object({
  list: CheckListSchema,
  term: z.string().trim().min(2, '词条至少 2 个字').max(100),
  /** What to write instead (typo, banned, caution); empty for domains. */
  replacement: z.string().max(100).default(''),
  note: z.string().max(200).default(''),
});
export type CheckTerm = z.infer<typeof CheckTermSchema>;

export interface CheckIssue {
  code: CheckList | 'metadata' | 'image-alt' | 'broken-link';
  field: string;
  message: string;
  excerpt: string;
}
export interface CheckReport {
  errors: CheckIssue[];
  warnings: CheckIssue[];
}

export interface CompiledLists {
  words: Map<string, CheckTerm[]>;
  domains: Set<string>;
}

export function compileLists(terms: readonly CheckTerm[]): CompiledLists {
  const words = new Map<string, CheckTerm[]>();
  const domains = new Set<string>();
  for (const t of terms) {
    if (t.list === 'illegal-domain') {
      domains.add(t.term.toLowerCase());
      continue;
    }
    const key = t.term.slice(0, 2);
    words.set(key, [...(words.get(key) ?? []), t]);
  }
  return { words, domains };
}

/** List words found in a text (each once), with a little context. */
export function findWords(text: string, lists: CompiledLists): { term: CheckTerm; at: number }[] {
  const seen = new Set<string>();
  const out: { term: CheckTerm; at: number }[] = [];
  for (let i = 0; i + 1 < text.length; i++) {
    for (const t of lists.words.get(text.slice(i, i + 2)) ?? []) {
      const k = `${t.list}:${t.term}`;
      if (!seen.has(k) && text.startsWith(t.term, i)) {
        seen.add(k);
        out.push({ term: t, at: i });
      }
    }
  }
  return out;
}

/** Whether a host is a listed domain or below one. */
export function listedHost(host: string, lists: CompiledLists): string | null {
  const parts = host.toLowerCase().replace(/\.$/, '').split('.');
  for (let i = 0; i + 1 < parts.length; i++) {
    const d = parts.slice(i).join('.');
    if (lists.domains.has(d)) return d;
  }
  return null;
}

const excerptAt = (text: string, at: number, len: number) => text.slice(Math.max(0, at - 10), at + len + 10);
const URL_IN_TEXT = /\b(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?::\d+)?(?:\/[^\s"'<>]*)?/gi;

export interface CheckableDraft {
  kind: string;
  title: string;
  bodyHtml: string;
  summary?: string;
  docNumber?: string | null;
  indexNumber?: string | null;
  writtenOn?: string | null;
}

export function checkDraft(d: CheckableDraft, lists: CompiledLists, today = formatDate(new Date())): CheckReport {
  const report: CheckReport = { errors: [], warnings: [] };
  const add = (issue: CheckIssue, error: boolean) => (error ? report.errors : report.warnings).push(issue);
  for (const [field, text] of [
    ['title', d.title],
    ['summary', d.summary ?? ''],
    ['bodyHtml', htmlToText(d.bodyHtml)],
  ] as const) {
    for (const { term, at } of findWords(text, lists)) {
      const instead = term.replacement ? `，建议改为“${term.replacement}”` : '';
      if (term.list === 'typo')
        add({ code: 'typo', field, message: `疑似错别字“${term.term}”${instead}`, excerpt: excerptAt(text, at, term.term.length) }, false);
      else
        add(
          {
            code: term.list,
            field,
            message: `${CHECK_LISTS[term.list]}“${term.term}”${instead}${term.note ? `（${term.note}）` : ''}`,
            excerpt: excerptAt(text, at, term.term.length),
          },
          term.list === 'banned',
        );
    }
  }
  // Links: every href, and addresses written in the text.
  const hosts = new Map<string, string>();
  for (const m of d.bodyHtml.matchAll(/href\s*=\s*["']([^"']+)["']/gi)) {
    try {
      hosts.set(new URL(m[1]!, 'https://relative.invalid/').hostname, m[1]!);
    } catch {
      /* not a URL */
    }
  }
  for (const m of htmlToText(d.bodyHtml).matchAll(URL_IN_TEXT)) hosts.set(m[1]!.toLowerCase(), m[0]);
  for (const [host, raw] of hosts) {
    const listed = listedHost(host, lists);
    if (listed) add({ code: 'illegal-domain', field: 'bodyHtml', message: `链接指向非法网站 ${listed}`, excerpt: raw.slice(0, 120) }, true);
  }
  for (const m of d.bodyHtml.matchAll(/<img\b[^>]*>/gi)) {
    const alt = /\balt\s*=\s*["']([^"']*)["']/i.exec(m[0]);
    if (!alt || !alt[1]!.trim())
      add({ code: 'image-alt', field: 'bodyHtml', message: '图片缺少替代文字（alt），读屏软件无法读出', excerpt: m[0].slice(0, 120) }, true);
  }
  if (d.kind === 'policy') {
    if (!d.docNumber) add({ code: 'metadata', field: 'docNumber', message: '政策文件须填写发文字号', excerpt: '' }, true);
    if (!d.writtenOn) add({ code: 'metadata', field: 'writtenOn', message: '政策文件须填写成文日期', excerpt: '' }, true);
    else if (d.writtenOn > today) add({ code: 'metadata', field: 'writtenOn', message: '成文日期不能晚于发布日期', excerpt: d.writtenOn }, true);
  }
  return report;
}

/** The pre-publish lists: every editor reads them (the checks cite them); platform admins change them. */
export const CHECK_TERM_ACCESS = defineAccess({
  read: { who: ['staff'] },
  manage: { who: ['staff'], action: 'checks.manage' },
});
