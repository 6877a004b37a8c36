/**
 * 办事指南 for the portals' 办事服务 columns. Two are real (灵山县, from the Guangxi 政务服务 事项库, 2019; see
 * data/ATTRIBUTION.md), shown on that county's portal with their real department; every other guide is a 示例
 * (title starts 示例, the body opens with the demo notice) so each 服务场景 a citizen can pick leads to a guide
 * on the region's portal, and most to one nearer home. Legal bases named in 示例 guides are the national laws
 * that govern each kind of matter; local details (addresses, telephones, hours) are left generic on purpose.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SCENE_CODES, SERVICE_SCENES, escapeHtml, type DocumentInput, type SceneCode, type ServiceGuide } from '@ywtc/cms-schema';
import { DEMO_NOTE, NO_DISCLOSURE_METADATA, rng } from './demo-text.ts';

const SourceGuide = z.object({
  id: z.string(),
  name: z.string(),
  department: z.string(),
  basis: z.array(z.object({ law_name: z.string(), law_number: z.string().nullable().optional(), clause_number: z.string().nullable().optional() })),
  conditions: z.string(),
  materials: z.array(z.string()),
  place: z.string(),
  hours: z.string(),
  phone: z.string(),
  url: z.string().nullable(),
  extra: z.object({
    areacode: z.string(),
    is_fee: z.string(),
    promise_day: z.string().optional(),
    publishdate: z.string().optional(),
    version_date: z.string().optional(),
  }),
});

/** Which 服务场景 each real guide serves (both are investment-project approvals of an enterprise). */
const REAL_SCENES: Record<string, SceneCode[]> = {
  'gx-sg-1145072100811537184452004020000': ['qy-tzxm'],
  'gx-sg-11450721MB155808114000104002000': ['qy-tzxm'],
};

export interface RealGuide {
  /** 行政区划代码 of the county whose portal shows it. */
  areaCode: string;
  doc: DocumentInput;
}

export function loadRealGuides(dir = join(import.meta.dirname, 'data')): RealGuide[] {
  return readFileSync(join(dir, 'service-guides-gx.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => SourceGuide.parse(JSON.parse(line)))
    .map((g) => {
      const published = g.extra.publishdate ?? g.extra.version_date ?? '2019-10-30';
      const guide: ServiceGuide = {
        basis: g.basis.map((b) => [b.law_name, b.law_number ? `（${b.law_number}）` : '', b.clause_number ?? ''].join('')).join('；\n'),
        conditions: g.conditions.replace(/\n\s+/g, '\n').trim(),
        materials: g.materials,
        place: g.place,
        agency: g.department,
        // The source has is_fee "0" and no charge items: the matter is free of charge.
        fee: g.extra.is_fee === '0' ? '不收费' : '按规定收费',
        hours: g.hours,
        phone: g.phone,
        process: `源数据未提供办理流程图文说明，请到广西数字政务一体化平台（${g.url ?? 'http://zwfw.gxzf.gov.cn/'}）查询本事项的办理流程，或拨打 ${g.phone} 咨询。`,
        promiseDays: g.extra.promise_day ? Number(g.extra.promise_day) : null,
        scenes: REAL_SCENES[g.id] ?? ['qy-tzxm'],
        onlineUrl: g.url,
      };
      return {
        areaCode: g.extra.areacode,
        doc: {
          id: g.id.toLowerCase(), // document ids are lower case; the 事项编码 keeps its letters in the source
          kind: 'guide',
          title: g.name,
          bodyHtml: `<p>${escapeHtml(`本事项由${g.department}办理。`)}</p>`,
          summary: `${g.name}：办理机构 ${g.department}`,
          keywords: ['办事指南', SERVICE_SCENES[guide.scenes[0]!].name],
          author: '',
          source: g.department,
          sourceUrl: g.url,
          publishedAt: `${published}T00:00:00+08:00`,
          attachments: [],
          ownerSiteId: '',
          isDemo: false,
          ...NO_DISCLOSURE_METADATA,
          issuedOn: published,
          interests: [SERVICE_SCENES[guide.scenes[0]!].interest],
          guide,
        },
      };
    });
}

/** The national law each kind of matter rests on (for 示例 guides' 设定依据). */
const BASIS: Record<string, string> = {
  shengyu: '《中华人民共和国人口与计划生育法》',
  jiaoyu: '《中华人民共和国义务教育法》',
  jiuye: '《中华人民共和国就业促进法》《失业保险条例》',
  shebao: '《中华人民共和国社会保险法》《社会救助暂行办法》',
  yiliao: '《医疗保障基金使用监督管理条例》',
  zhufang: '《住房公积金管理条例》《不动产登记暂行条例》',
  jiaotong: '《中华人民共和国道路交通安全法》',
  hunyin: '《中华人民共和国民法典》《婚姻登记条例》',
  yanglao: '《中华人民共和国社会保险法》《中华人民共和国老年人权益保障法》',
  canji: '《中华人民共和国残疾人保障法》',
  qiye: '《中华人民共和国市场主体登记管理条例》',
  xiangcun: '《中华人民共和国土地管理法》',
  keji: '《高新技术企业认定管理办法》',
  huanjing: '《排污许可管理条例》',
};

/** A 示例 guide for one scene, as the unit's portal would publish it. */
export function demoGuide(unit: string, scene: SceneCode): Omit<DocumentInput, 'id' | 'publishedAt' | 'ownerSiteId'> {
  const s = SERVICE_SCENES[scene];
  const title = `示例：${s.name}`;
  const guide: ServiceGuide = {
    basis: `${BASIS[s.interest] ?? '相关法律法规'}（示例，以正式公布的事项清单为准）`,
    conditions: `符合${s.name}相关规定的申请人，可向${unit}政务服务中心申请办理（示例）。`,
    materials: ['申请人有效身份证件', `${s.name}申请表（可在窗口领取或在线填写）`, '其他依法需要提交的材料（以窗口一次性告知为准）'],
    place: `${unit}政务服务中心综合窗口（示例）`,
    agency: `${unit}相关主管部门（示例）`,
    fee: '不收费',
    hours: '工作日 上午9:00—12:00，下午14:30—17:30（法定节假日除外）',
    phone: '12345',
    process: '1. 申请：在线提交或到窗口提交材料；2. 受理：材料齐全、符合法定形式的当场受理；3. 审查：依法审查；4. 办结：作出决定并送达。',
    promiseDays: 5 + Math.floor(rng(unit + scene)() * 15),
    scenes: [scene],
    onlineUrl: 'http://zwfw.gxzf.gov.cn/',
  };
  const note = DEMO_NOTE(unit);
  return {
    kind: 'guide',
    title,
    bodyHtml: `<p>${escapeHtml(note)}</p>\n<p>${escapeHtml(`本指南说明${s.name}的办理条件、所需材料和办理流程。`)}</p>`,
    summary: `${s.name}的设定依据、申请条件、办理材料、办理地点和流程。`,
    keywords: ['办事指南', s.name],
    author: '',
    source: unit,
    sourceUrl: null,
    attachments: [],
    isDemo: true,
    ...NO_DISCLOSURE_METADATA,
    interests: [s.interest],
    guide,
  };
}

/**
 * Which scenes a portal carries guides for: the region's portal all of them (so every pick leads somewhere), a
 * city's ten, a county's five — picked by a hash of the site id, so the choice is stable across seeds.
 */
export function scenesFor(siteId: string, kind: 'province-portal' | 'city-portal' | 'county-portal'): SceneCode[] {
  if (kind === 'province-portal') return [...SCENE_CODES];
  const r = rng(`guides-${siteId}`);
  const order = SCENE_CODES.map((code) => ({ code, key: r() })).sort((a, b) => a.key - b.key);
  return order.slice(0, kind === 'city-portal' ? 10 : 5).map((o) => o.code);
}
