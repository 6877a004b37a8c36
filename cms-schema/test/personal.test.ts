import { describe, expect, it } from 'vitest';
import {
  DocumentSchema,
  DraftSchema,
  INTEREST_CODES,
  PROFILE_LIMITS,
  SCENE_CODES,
  SERVICE_SCENES,
  formFieldsFrom,
  interestsOfTopic,
  noteRead,
  parseSettingsForm,
  profileOf,
  readHash,
  recommend,
  tagDocument,
  INTEREST_MODEL,
  type Candidate,
  type Profile,
} from '../src/index.ts';

const form = (pairs: [string, string][]) => new URLSearchParams(pairs);
const regions = new Set(['nanning', 'qingxiu']);
const exists = (id: string) => regions.has(id);

describe('interest areas and service scenes', () => {
  it('map 主题分类 values, first level or first\\second, to interest areas', () => {
    expect(interestsOfTopic('科技、教育\\教育')).toEqual(['jiaoyu']);
    expect(interestsOfTopic('农业、林业、水利\\农业、畜牧业、渔业')).toEqual(['xiangcun']);
    expect(interestsOfTopic(null)).toEqual([]);
    expect(interestsOfTopic('其他')).toEqual([]);
  });

  it('give every scene an interest area that exists', () => {
    for (const code of SCENE_CODES) expect(INTEREST_CODES).toContain(SERVICE_SCENES[code].interest);
  });
});

describe('the settings form', () => {
  it('accepts known codes, drops repeats, and keeps the region only when it exists', () => {
    const r = parseSettingsForm(
      form([
        ['interests', 'shebao'],
        ['interests', 'shebao'],
        ['services', 'hy-jhdj'],
        ['region', 'qingxiu'],
        ['history', 'on'],
      ]),
      exists,
    );
    expect(r).toEqual({ ok: true, value: { interests: ['shebao'], services: ['hy-jhdj'], region: 'qingxiu', history: true } });
  });

  it('names every field it refuses, in Chinese', () => {
    const r = parseSettingsForm(
      form([
        ['interests', 'xx'],
        ...Array.from({ length: PROFILE_LIMITS.services + 1 }, (): [string, string] => ['services', 'hy-jhdj']),
        ['region', 'atlantis'],
        ['history', 'maybe'],
      ]),
      exists,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.field)).toEqual(['interests', 'services', 'region', 'history']);
    expect(r.issues[0]!.message).toBe('无法识别的兴趣领域：“xx”');
    expect(r.issues[1]!.message).toBe(`常用服务最多选 ${PROFILE_LIMITS.services} 项，您选了 ${PROFILE_LIMITS.services + 1} 项，设置未保存`);
    expect(r.issues[2]!.message).toBe('没有这个地区：“atlantis”');
  });

  it('forgets the reading record as soon as the citizen turns it off', () => {
    const previous: Profile = { v: 1, i: [], s: [], r: null, h: true, t: ['jiaoyu'], d: ['abc'], at: 1 };
    expect(profileOf({ interests: [], services: [], region: null, history: true }, previous, 2)).toMatchObject({ t: ['jiaoyu'], d: ['abc'], at: 2 });
    expect(profileOf({ interests: [], services: [], region: null, history: false }, previous, 2)).toMatchObject({ h: false, t: [], d: [] });
  });
});

describe('the reading record', () => {
  const base: Profile = { v: 1, i: [], s: [], r: null, h: true, t: [], d: [], at: 1 };
  it('notes topics and a short hash, newest first, within the limits', () => {
    let p = base;
    for (let i = 0; i < PROFILE_LIMITS.readDocuments + 5; i++) p = noteRead(p, `doc-${i}`, i % 2 ? ['jiaoyu'] : ['shebao', 'yiliao']);
    expect(p.d).toHaveLength(PROFILE_LIMITS.readDocuments);
    expect(p.d[0]).toBe(readHash(`doc-${PROFILE_LIMITS.readDocuments + 4}`));
    expect(p.t.slice(0, 1)).toEqual([(PROFILE_LIMITS.readDocuments + 4) % 2 ? 'jiaoyu' : 'shebao']);
    expect(new Set(p.t).size).toBe(p.t.length);
    expect(readHash('gx-sb-1')).toMatch(/^[0-9a-z]{1,8}$/);
  });
  it('notes nothing without the opt-in', () => {
    const off = { ...base, h: false };
    expect(noteRead(off, 'x', ['shebao'])).toBe(off);
  });
});

describe('recommend', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const item = (id: string, over: Partial<Candidate> = {}): Candidate => ({
    id,
    title: id,
    siteId: 'gxzf',
    nearness: 'region',
    columnId: 'gxzf/zcwj',
    publishedAt: '2026-11-20T00:00:00Z',
    validity: '有效',
    tags: [{ interest: 'shebao', confidence: 0.9 }],
    views: 0,
    ...over,
  });

  it('recommends only through an interest, and says which', () => {
    const recs = recommend(
      [item('a'), item('b', { tags: [{ interest: 'jiaoyu', confidence: 1 }] })],
      { interests: ['shebao'], recentTopics: [], read: [] },
      now,
    );
    expect(recs.map((r) => [r.item.id, r.because])).toEqual([['a', { interest: 'shebao', chosen: true }]]);
    expect(recommend([item('a')], { interests: [], recentTopics: [], read: [] }, now)).toEqual([]);
  });

  it('never shows a 失效 or 废止 item or one already read', () => {
    const recs = recommend(
      [item('old', { validity: '失效' }), item('gone', { validity: '废止' }), item('read'), item('ok')],
      { interests: ['shebao'], recentTopics: [], read: [readHash('read')] },
      now,
    );
    expect(recs.map((r) => r.item.id)).toEqual(['ok']);
  });

  it('puts nearer, fresher and more read items first', () => {
    const recs = recommend(
      [
        item('far', { nearness: 'region' }),
        item('county', { nearness: 'county' }),
        item('stale', { publishedAt: '2020-01-01T00:00:00Z' }),
        item('read-a-lot', { views: 50 }),
      ],
      { interests: ['shebao'], recentTopics: [], read: [] },
      now,
    );
    const order = recs.map((r) => r.item.id);
    expect(order.indexOf('county')).toBeLessThan(order.indexOf('far'));
    expect(order.indexOf('read-a-lot')).toBeLessThan(order.indexOf('far'));
    expect(order.at(-1)).toBe('stale');
  });

  it('ranks a chosen interest above a recently read one', () => {
    const recs = recommend(
      [item('read-topic', { tags: [{ interest: 'jiaoyu', confidence: 0.9 }] }), item('chosen')],
      { interests: ['shebao'], recentTopics: ['jiaoyu'], read: [] },
      now,
    );
    expect(recs.map((r) => [r.item.id, r.because.chosen])).toEqual([
      ['chosen', true],
      ['read-topic', false],
    ]);
  });

  it('keeps one column from crowding the block', () => {
    const pool = [
      ...Array.from({ length: 12 }, (_, i) => item(`yw-${i}`, { columnId: 'gxzf/yw', views: 100 - i })),
      ...Array.from({ length: 4 }, (_, i) => item(`tz-${i}`, { columnId: 'gxzf/tzgg' })),
    ];
    const recs = recommend(pool, { interests: ['shebao'], recentTopics: [], read: [] }, now, 8);
    expect(recs).toHaveLength(8);
    expect(recs.filter((r) => r.item.columnId === 'gxzf/tzgg').length).toBeGreaterThanOrEqual(3);
  });
});

describe('automatic interest tags (the shipped model)', () => {
  const doc = { id: 'd1', title: '关于做好义务教育招生入学工作的通知', bodyHtml: '<p>各学校做好招生入学。</p>', interests: [] as never[], topic: null };

  it('take the editor’s 兴趣领域 as they are', () => {
    expect(tagDocument({ ...doc, interests: ['yanglao'] })).toEqual([
      { documentId: 'd1', interest: 'yanglao', confidence: 1, source: 'editor', needsReview: false },
    ]);
  });

  it('otherwise guess from title and text, with a confidence', () => {
    const tags = tagDocument(doc);
    expect(tags[0]).toMatchObject({ documentId: 'd1', interest: 'jiaoyu', source: 'auto', needsReview: false });
    expect(tags[0]!.confidence).toBeGreaterThan(0.8);
  });

  it('mark an unsure guess for editors, unless the 主题分类 settles it', () => {
    const vague = { ...doc, title: '关于印发工作要点的通知', bodyHtml: '<p>现印发给你们。</p>' };
    const tags = tagDocument(vague);
    expect(tags.length).toBeGreaterThan(0);
    expect(tags.every((t) => t.needsReview && t.confidence < 0.5)).toBe(true);
    const topical = tagDocument({ ...vague, topic: '科技、教育\\教育' });
    expect(topical.find((t) => t.interest === 'jiaoyu')).toMatchObject({ confidence: 0.9, needsReview: false });
  });

  it('find an area the model has no examples for by its title keywords', () => {
    expect(INTEREST_MODEL.logPriors).not.toHaveProperty('hunyin');
    const tags = tagDocument({ ...doc, title: '关于进一步规范婚姻登记工作的通知', bodyHtml: '<p>各地婚姻登记机关。</p>' });
    expect(tags).toContainEqual(expect.objectContaining({ interest: 'hunyin', confidence: 0.6, source: 'auto' }));
  });
});

describe('the 办事指南 content type', () => {
  const guide = {
    basis: '《婚姻登记条例》',
    conditions: '内地居民结婚，男女双方应当共同到一方当事人常住户口所在地的婚姻登记机关办理结婚登记。',
    materials: ['本人的户口簿、身份证'],
    place: '婚姻登记处',
    agency: '民政局',
    fee: '不收费',
    hours: '工作日',
    phone: '0771-12345',
    process: '申请、受理、审查、登记',
    promiseDays: 1,
    scenes: ['hy-jhdj'],
    onlineUrl: null,
  };
  const draft = { kind: 'guide', title: '结婚登记', bodyHtml: '<p>说明</p>', source: '民政局' };

  it('requires the guide elements on a guide and refuses them elsewhere', () => {
    expect(DraftSchema.safeParse({ ...draft, guide }).success).toBe(true);
    expect(DraftSchema.safeParse(draft).error?.issues[0]).toMatchObject({ path: ['guide'], message: '办事指南须填写办事指南要素' });
    expect(DraftSchema.safeParse({ ...draft, kind: 'article', guide }).error?.issues[0]).toMatchObject({ path: ['guide'] });
  });

  it('names the element that is missing or wrong', () => {
    const bad = DraftSchema.safeParse({ ...draft, guide: { ...guide, materials: [], phone: 'call us', scenes: ['astrology'] } });
    const issues = bad.error!.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues).toContainEqual(['guide.materials', '请至少列出一项办理材料']);
    expect(issues).toContainEqual(['guide.phone', '联系电话只能包含数字、括号、连字符和“转”']);
    expect(issues).toContainEqual(['guide.scenes.0', '未知的服务事项']);
  });

  it('appears in the CMS form as a group of its elements, and 兴趣领域 as check boxes', () => {
    const fields = formFieldsFrom(DraftSchema);
    const group = fields.find((f) => f.name === 'guide')!;
    expect(group.widget).toBe('group');
    expect(group.children!.map((c) => c.name)).toEqual([
      'guide.basis',
      'guide.conditions',
      'guide.materials',
      'guide.place',
      'guide.agency',
      'guide.fee',
      'guide.hours',
      'guide.phone',
      'guide.process',
      'guide.promiseDays',
      'guide.scenes',
      'guide.onlineUrl',
    ]);
    expect(group.children!.find((c) => c.name === 'guide.materials')!.widget).toBe('lines');
    expect(group.children!.find((c) => c.name === 'guide.scenes')!.options![0]).toEqual({ value: 'sy-djsy', label: '生育登记' });
    const interests = fields.find((f) => f.name === 'interests')!;
    expect(interests.widget).toBe('checkboxes');
    expect(interests.options).toContainEqual({ value: 'shebao', label: '社会保障' });
  });

  it('is stored with the document (and an article has none)', () => {
    const base = {
      id: 'g1',
      ...draft,
      summary: '',
      keywords: [],
      author: '',
      sourceUrl: null,
      publishedAt: '2026-12-01T00:00:00Z',
      attachments: [],
      ownerSiteId: 'gxzf',
      isDemo: false,
      indexNumber: null,
      issuer: null,
      docNumber: null,
      writtenOn: null,
      issuedOn: null,
      topic: null,
      subjectWords: [],
      validity: null,
      interests: [],
    };
    expect(DocumentSchema.parse({ ...base, guide }).guide?.scenes).toEqual(['hy-jhdj']);
    expect(DocumentSchema.safeParse({ ...base, guide: null }).success).toBe(false);
  });
});
