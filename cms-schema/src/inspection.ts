/**
 * 内容监管 (issue 14): what the platform's inspector checks, how a finding counts under the national inspection
 * (国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》), the runs it stores, and the 整改 items a finding becomes.
 *
 * The national scale: any 单项否决 (veto) makes a site 不合格 and nothing else is scored; otherwise a site starts at
 * 100 and each 扣分指标 takes points, never more than the indicator's cap; below 60 is 不合格. The point values
 * per finding below are our reading of the indicator table (each indicator's cap is the table's weight);
 * docs/inspection.md lists them with the rule each check implements.
 */
import { z } from 'zod';
import { defineAccess } from './access.ts';
import { SiteIdSchema } from './site.ts';
import { InstantSchema } from './time.ts';

/** 周巡检 / 月监测 / 季普查 (the Guangxi plan's three rhythms) and what each covers. */
export const SCHEDULES = {
  weekly: { label: '周巡检', covers: '首页、本周新发布的信息、首页链接' },
  monthly: { label: '月监测', covers: '全部链接、全部栏目更新情况、错别字' },
  quarterly: { label: '季普查', covers: '全部页面和全部检查项，并按国家指标计分' },
} as const;
export type Schedule = keyof typeof SCHEDULES;
export const ScheduleSchema = z.enum(Object.keys(SCHEDULES) as [Schedule, ...Schedule[]]);

export const SEVERITIES = { veto: '单项否决', deduct: '扣分', notice: '提示' } as const;
export type Severity = keyof typeof SEVERITIES;
export const SeveritySchema = z.enum(Object.keys(SEVERITIES) as [Severity, ...Severity[]]);

/** National indicators a finding counts under; `cap` is the most an indicator can take off (扣分指标 only). */
export const INDICATORS = {
  unreachable: { label: '单项否决·站点无法访问', cap: null },
  'not-updated': { label: '单项否决·网站不更新', cap: null },
  'columns-not-updated': { label: '单项否决·栏目不更新', cap: null },
  'severe-error': { label: '单项否决·严重错误', cap: null },
  'no-response': { label: '单项否决·互动回应差', cap: null },
  'service-missing': { label: '单项否决·服务不实用', cap: null },
  availability: { label: '网站可用性（首页可用性、链接可用性）', cap: 10 },
  updates: { label: '信息更新情况（栏目更新）', cap: 15 },
  interpretation: { label: '解读回应情况（政策解读）', cap: 5 },
  accuracy: { label: '信息发布准确性（错别字、表述）', cap: 10 },
  standards: { label: '网站规范性（标识、页脚、元数据、时间格式）', cap: 10 },
  accessibility: { label: '无障碍与可用性（图片替代文本、打开速度）', cap: 5 },
  security: { label: '安全与链接规范（外部链接、非法网址）', cap: 10 },
  domains: { label: '域名规范（域名、标识码、备案号、证书）', cap: 5 },
} as const;
export type Indicator = keyof typeof INDICATORS;

export interface FindingKindSpec {
  label: string;
  indicator: Indicator;
  severity: Severity;
  /** Points a single finding takes (deductions; 0 for vetoes and notices). */
  points: number;
  /** The schedules that look for it (a 季普查 looks for everything). */
  schedules: readonly Schedule[];
  /** Days the site's admin has to fix it before it escalates to the unit above. */
  fixWithinDays: number;
}

const ALL: readonly Schedule[] = ['weekly', 'monthly', 'quarterly'];
const MONTHLY_UP: readonly Schedule[] = ['monthly', 'quarterly'];
const QUARTERLY: readonly Schedule[] = ['quarterly'];

/** Every kind of finding; the inspector's rules (worker/src/inspect/rules) produce exactly these. */
export const FINDING_KINDS = {
  'site-unreachable': { label: '站点或首页无法访问', indicator: 'unreachable', severity: 'veto', points: 0, schedules: ALL, fixWithinDays: 1 },
  'home-stale': { label: '首页栏目两周未更新', indicator: 'not-updated', severity: 'veto', points: 0, schedules: ALL, fixWithinDays: 3 },
  'column-stale': { label: '栏目未按规定更新', indicator: 'updates', severity: 'deduct', points: 1, schedules: MONTHLY_UP, fixWithinDays: 7 },
  'column-empty': { label: '空白栏目', indicator: 'updates', severity: 'deduct', points: 1, schedules: MONTHLY_UP, fixWithinDays: 7 },
  'banned-term': { label: '禁用词或敏感表述', indicator: 'severe-error', severity: 'veto', points: 0, schedules: ALL, fixWithinDays: 1 },
  'severe-typo': { label: '严重错别字（含领导职务）', indicator: 'severe-error', severity: 'veto', points: 0, schedules: ALL, fixWithinDays: 1 },
  typo: { label: '疑似错别字', indicator: 'accuracy', severity: 'deduct', points: 0.5, schedules: MONTHLY_UP, fixWithinDays: 7 },
  backdated: { label: '发布时间被改早', indicator: 'severe-error', severity: 'veto', points: 0, schedules: ALL, fixWithinDays: 3 },
  'service-missing': { label: '缺少办事服务', indicator: 'service-missing', severity: 'veto', points: 0, schedules: MONTHLY_UP, fixWithinDays: 7 },
  'consult-overdue': { label: '留言超过三个月未答复', indicator: 'no-response', severity: 'veto', points: 0, schedules: ALL, fixWithinDays: 3 },
  'broken-link': { label: '不可用的站内链接', indicator: 'availability', severity: 'deduct', points: 0.5, schedules: ALL, fixWithinDays: 7 },
  'broken-attachment': { label: '附件无法下载', indicator: 'availability', severity: 'deduct', points: 1, schedules: ALL, fixWithinDays: 7 },
  'external-link-broken': { label: '不可用的外部链接', indicator: 'security', severity: 'deduct', points: 0.5, schedules: MONTHLY_UP, fixWithinDays: 15 },
  'illegal-domain-link': { label: '链接到非法网址', indicator: 'security', severity: 'deduct', points: 5, schedules: ALL, fixWithinDays: 1 },
  'meta-missing': { label: '缺少国家规定的元数据', indicator: 'standards', severity: 'deduct', points: 0.5, schedules: QUARTERLY, fixWithinDays: 15 },
  'footer-missing': { label: '页脚缺少规定信息', indicator: 'standards', severity: 'deduct', points: 2, schedules: ALL, fixWithinDays: 7 },
  'idcode-missing': { label: '缺少或错误的网站标识码', indicator: 'standards', severity: 'deduct', points: 2, schedules: ALL, fixWithinDays: 7 },
  'zhaocuo-missing': { label: '缺少“我为政府网站找错”入口', indicator: 'standards', severity: 'deduct', points: 2, schedules: ALL, fixWithinDays: 7 },
  'time-format': { label: '发布时间格式不规范', indicator: 'standards', severity: 'deduct', points: 0.5, schedules: QUARTERLY, fixWithinDays: 15 },
  'image-alt': { label: '图片缺少替代文本', indicator: 'accessibility', severity: 'deduct', points: 0.2, schedules: QUARTERLY, fixWithinDays: 15 },
  'policy-no-interpretation': {
    label: '政策文件未关联解读',
    indicator: 'interpretation',
    severity: 'deduct',
    points: 0.5,
    schedules: QUARTERLY,
    fixWithinDays: 30,
  },
  'slow-page': { label: '页面打开过慢', indicator: 'accessibility', severity: 'deduct', points: 1, schedules: ALL, fixWithinDays: 7 },
  'domain-rule': { label: '域名或备案信息不规范', indicator: 'domains', severity: 'deduct', points: 1, schedules: QUARTERLY, fixWithinDays: 30 },
} as const satisfies Record<string, FindingKindSpec>;
export type FindingKind = keyof typeof FINDING_KINDS;
export const FindingKindSchema = z.enum(Object.keys(FINDING_KINDS) as [FindingKind, ...FindingKind[]]);

/**
 * The national counting of 栏目不更新 (a veto when any holds): 动态要闻 not updated in 2 weeks and 通知公告/政策文件 not
 * in 6 months, together ≥ 5; columns that should be updated but are not, ≥ 10; empty columns, ≥ 5.
 */
export const COLUMN_VETO = { frequentStale: 5, anyStale: 10, empty: 5 } as const;
/** Below this a site without a veto is still 不合格 (the national scale). */
export const PASS_SCORE = 60;
/** The national probe: a home page slower than 15 s counts as not answering; ≥ 5 % failed probes in a week vetoes. */
export const PROBE = { timeoutMs: 15_000, vetoFailureShare: 0.05, windowDays: 7 } as const;
/** 《政府网站发展指引》: a page should open within 3 s; slower counts as slow. */
export const SLOW_PAGE_MS = 3_000;

const Excerpt = z.string().max(300);

/** One thing found on one site: where (a path on the site, or an address), what, and how it counts. */
export const FindingSchema = z.object({
  runId: z.string().min(1),
  siteId: SiteIdSchema,
  kind: FindingKindSchema,
  severity: SeveritySchema,
  points: z.number().min(0),
  /** The page it is on: a path on the site (`/yw/x.html`) or, for the site as a whole, `/`. */
  url: z.string().min(1).max(2000),
  /** What exactly: the link, the word, the column id … — with kind, site and url, what identifies it across runs. */
  target: z.string().max(2000),
  message: z.string().min(1).max(500),
  excerpt: Excerpt,
  /** kind|site|url|target hashed: the same finding in the next run has the same key (follow-up of 整改). */
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
});
export type Finding = z.infer<typeof FindingSchema>;

export const RUN_STATES = { running: '进行中', finished: '已完成', failed: '失败' } as const;
export const RunStateSchema = z.enum(Object.keys(RUN_STATES) as [keyof typeof RUN_STATES, ...(keyof typeof RUN_STATES)[]]);
export const RUN_TRIGGERS = { cron: '定时', manual: '手动', cli: '命令行' } as const;

export const InspectionRunSchema = z.object({
  id: z.string().regex(/^[0-9a-z-]+$/),
  schedule: ScheduleSchema,
  state: RunStateSchema,
  trigger: z.enum(Object.keys(RUN_TRIGGERS) as [keyof typeof RUN_TRIGGERS, ...(keyof typeof RUN_TRIGGERS)[]]),
  /** The time the run judges against ("today" for freshness), fixed at its start so a resumed run judges alike. */
  startedAt: InstantSchema,
  finishedAt: InstantSchema.nullable(),
  sites: z.int().min(0),
  pages: z.int().min(0),
  findings: z.int().min(0),
  skipped: z.int().min(0),
  requestedBy: z.string().nullable(),
});
export type InspectionRun = z.infer<typeof InspectionRunSchema>;

export const VERDICTS = { pass: '合格', fail: '不合格' } as const;
export const VerdictSchema = z.enum(['pass', 'fail']);

/** A site's result in one run. */
export const SiteScoreSchema = z.object({
  runId: z.string(),
  siteId: SiteIdSchema,
  verdict: VerdictSchema,
  /** 100 minus deductions (each indicator capped); null when a veto decided the verdict. */
  score: z.number().min(0).max(100).nullable(),
  vetoes: z.int().min(0),
  deductions: z.number().min(0),
  pages: z.int().min(0),
  findings: z.int().min(0),
  /** Why a veto applied, in the national wording (e.g. 栏目不更新：空白栏目 5 个). */
  vetoReasons: z.array(z.string()),
});
export type SiteScore = z.infer<typeof SiteScoreSchema>;

/** A page the run could not judge (malformed, missing bytes, too large …): logged, and the run goes on. */
export const InspectionSkipSchema = z.object({
  runId: z.string(),
  siteId: SiteIdSchema,
  url: z.string().max(2000),
  reason: z.string().max(300),
});
export type InspectionSkip = z.infer<typeof InspectionSkipSchema>;

/**
 * 整改: a finding assigned to its site's admins with a deadline. open → fixed (the admin says so) → verified
 * (the next run no longer finds it) or reopened (it still does); dismissed only by the unit above, with a
 * reason. Past the deadline an open item escalates one level up the site hierarchy (county → city → region).
 */
export const RECTIFICATION_STATES = { open: '待整改', fixed: '已整改待复核', verified: '已复核通过', reopened: '复核未通过', dismissed: '已核销' } as const;
export type RectificationState = keyof typeof RECTIFICATION_STATES;
export const RectificationStateSchema = z.enum(Object.keys(RECTIFICATION_STATES) as [RectificationState, ...RectificationState[]]);

export const RectificationSchema = z.object({
  id: z.string().regex(/^[0-9a-z-]+$/),
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
  siteId: SiteIdSchema,
  kind: FindingKindSchema,
  severity: SeveritySchema,
  state: RectificationStateSchema,
  url: z.string().max(2000),
  target: z.string().max(2000),
  message: z.string().max(500),
  excerpt: Excerpt,
  firstRunId: z.string(),
  lastRunId: z.string(),
  deadline: InstantSchema,
  /** 0: the site's own admins; 1: the unit above; 2: two levels up … */
  escalation: z.int().min(0),
  /** The site whose admins the item is now escalated to (the site itself when not escalated). */
  escalatedTo: SiteIdSchema,
  note: z.string().max(500),
  updatedBy: z.string().nullable(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});
export type Rectification = z.infer<typeof RectificationSchema>;

/** What a site admin may send: mark fixed (with what was done), or — the unit above — dismiss with a reason. */
export const RectifyActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('fix'), note: z.string().trim().min(2, '请说明整改情况（至少 2 个字）').max(500, '整改说明不能超过 500 字') }),
  z.object({ action: z.literal('dismiss'), note: z.string().trim().min(4, '请说明核销理由（至少 4 个字）').max(500, '核销理由不能超过 500 字') }),
]);
export type RectifyAction = z.infer<typeof RectifyActionSchema>;

/**
 * Who may see and act: site admins (and the platform admin) read the runs, findings and 整改 of their sites and
 * those below, mark items fixed and — for sites below their own — dismiss them; a platform admin starts runs.
 * The routes check the target site with `can` (the site, or its parent for a dismissal).
 */
export const INSPECTION_ACCESS = defineAccess({
  read: { who: ['staff'], action: 'inspect.read' },
  rectify: { who: ['staff'], action: 'inspect.rectify' },
  run: { who: ['staff', 'machine'], action: 'inspect.run' },
});
