import { describe, expect, it } from 'vitest';
import {
  compareForDedupe,
  fingerprint,
  hamming,
  isNearDuplicate,
  normaliseForDedupe,
  prepareForDedupe,
  sharesBand,
  SIMHASH_MAX_DISTANCE,
} from '../src/index.ts';
import { isBoilerplateLine } from '../src/dedupe-text.ts';

const TITLE = '南宁市人力资源和社会保障局关于做好2024年高校毕业生就业工作的通知';
const PARAGRAPHS = [
  '各县（市、区）人力资源和社会保障局，市直各有关单位：',
  '为深入贯彻落实党中央、国务院关于稳就业的决策部署，切实做好我市2024年高校毕业生就业创业工作，现将有关事项通知如下：',
  '一、拓宽就业渠道。各单位要积极挖掘岗位资源，鼓励中小微企业吸纳高校毕业生就业，对招用毕业年度高校毕业生并签订1年以上劳动合同的企业，按规定给予一次性吸纳就业补贴。',
  '二、加强就业服务。各级公共就业服务机构要持续开展线上线下招聘活动，为未就业毕业生提供职业指导、岗位推荐和技能培训等服务，确保有就业意愿的毕业生都能得到帮扶。',
  '三、强化组织保障。各单位要高度重视，明确工作责任，加强部门协同，及时掌握毕业生就业情况，确保各项政策措施落到实处。',
  '联系人：韦小宁，联系电话：0771-5551234。',
  '南宁市人力资源和社会保障局',
  '2024年3月5日',
];
const original = PARAGRAPHS.map((p) => `<p>${p}</p>`).join('\n');

describe('normaliseForDedupe', () => {
  it('drops tags, entities, spaces, punctuation in either width and the page furniture', () => {
    const n = normaliseForDedupe(
      '关于  做好“就业”工作的通知',
      '<div>来源：南宁市人民政府 发布时间：2024-03-05</div><p>第一段，&nbsp;内容。</p><p>【打印】【关闭】</p>',
    );
    expect(n).toEqual({ title: '关于做好就业工作的通知', body: '第一段内容' });
  });
  it('keeps a decimal point between digits and nothing else of the punctuation', () => {
    expect(normaliseForDedupe('', '<p>增长1.5个百分点。</p><p>附件：1.名单</p>').body).toBe('增长1.5个百分点附件1名单');
  });
  it('drops the title repeated at the top of the body, even broken over lines', () => {
    expect(normaliseForDedupe('关于做好就业工作的通知', '<p>关于做好就业</p><p>工作的通知</p><p>正文。</p>').body).toBe('正文');
  });
  it('cuts the scan prompt out of a line it was run into, keeping the 落款', () => {
    expect(normaliseForDedupe('', '<p>指挥部 2020年2月8日 扫一扫在手机打开当前页</p>').body).toBe('指挥部2020年2月8日');
  });
  it.each([
    '来源：中国政府网',
    '责任编辑：张伟',
    '浏览次数：1234',
    '【打印本页】【关闭窗口】',
    '字号：大 中 小',
    '扫一扫在手机打开当前页',
    '分享到：微信 微博',
  ])('takes %s for furniture', (line) => expect(isBoilerplateLine(line)).toBe(true));
  it('keeps a short line of the notice and a long paragraph opening with a label', () => {
    expect(isBoilerplateLine('联系人：韦小宁')).toBe(false);
    expect(isBoilerplateLine('来源：' + '为深入贯彻落实党中央国务院关于稳就业的决策部署'.repeat(4))).toBe(false);
  });
});

describe('fingerprint', () => {
  it('gives 16 hex digits and the four 16-bit bands of the SimHash', () => {
    const f = fingerprint(TITLE, original);
    expect(f.exactHash).toMatch(/^[0-9a-f]{16}$/);
    expect(f.simhash).toMatch(/^[0-9a-f]{16}$/);
    expect(f.bands.map((b) => b.toString(16).padStart(4, '0')).join('')).toBe(f.simhash);
  });
  it('keeps the exact hash across markup, whitespace, width and page furniture', () => {
    const reposted = [
      `<div class="TRS_Editor"><p>来源：广西壮族自治区人民政府门户网站</p><p>浏览次数：321</p><p>${TITLE}</p>`,
      ...PARAGRAPHS.map((p) => `<p style="text-indent:2em">&nbsp;&nbsp;${p.replace(/，/g, ',').replace(/：/g, ':')}</p>`),
      '<p>【打印】【关闭】</p><p>扫一扫在手机打开当前页</p></div>',
    ].join('');
    expect(fingerprint(TITLE, reposted).exactHash).toBe(fingerprint(TITLE, original).exactHash);
    expect(fingerprint(TITLE, PARAGRAPHS.join('<br>\n')).exactHash).toBe(fingerprint(TITLE, original).exactHash);
  });
  it('changes the exact hash when one digit changes', () => {
    expect(fingerprint(TITLE, original.replace('5551234', '5551235')).exactHash).not.toBe(fingerprint(TITLE, original).exactHash);
  });
});

describe('isNearDuplicate', () => {
  const a = prepareForDedupe(TITLE, original);
  it('merges a repost with typos fixed', () => {
    const b = prepareForDedupe(TITLE, original.replace('积极挖掘', '积级挖掘').replace('高度重视', '高渡重视'));
    const v = compareForDedupe(a, b);
    expect(v.distance).toBeLessThanOrEqual(SIMHASH_MAX_DISTANCE);
    expect(v).toMatchObject({ duplicate: true, reason: 'near' });
    expect(v.body).toMatchObject({ edits: 2, longestEdit: 1, framing: 0 });
  });
  it('merges a repost with a footer line the rules do not know (framing)', () => {
    const v = compareForDedupe(a, prepareForDedupe(TITLE, original + '<p>本页面由南宁市人社局网站提供</p>'));
    expect(v).toMatchObject({ duplicate: true, body: { framing: 14, edits: 0 } });
  });
  it('misses a short notice whose few edits moved the SimHash beyond what the bands retrieve (the known limit)', () => {
    const b = prepareForDedupe(TITLE, original.replace('积极挖掘', '积级挖掘') + '<p>本页面由南宁市人社局网站提供</p>');
    expect(compareForDedupe(a, b)).toMatchObject({ duplicate: false, reason: 'simhash-far' });
    // The alignment alone would accept it: the miss is the candidate step's, and the store could not find it anyway.
    expect(compareForDedupe(a, b, { maxDistance: 64 }).duplicate).toBe(true);
  });
  it.each([
    ['unit', (s: string) => s.replaceAll('南宁市', '柳州市')],
    ['date', (s: string) => s.replace('2024年3月5日', '2024年3月15日')],
    ['number', (s: string) => s.replace('1年以上', '2年以上')],
    ['name', (s: string) => s.replace('韦小宁', '黄海燕')],
    ['one place renamed throughout', (s: string) => s.replaceAll('市直', '区直').replaceAll('我市', '我区')],
  ])('keeps apart two notices of one template differing in the %s', (_, change) => {
    const b = prepareForDedupe(change(TITLE), change(original));
    expect(isNearDuplicate(a, b)).toBe(false);
    expect(isNearDuplicate(b, a)).toBe(false);
  });
  it('keeps apart different notices', () => {
    const other = prepareForDedupe(
      '关于开展2024年安全生产月活动的通知',
      PARAGRAPHS.slice(0, 2).join('\n') + '\n今年6月是全国第23个安全生产月，各单位要结合实际组织开展活动。',
    );
    expect(compareForDedupe(a, other).duplicate).toBe(false);
  });
});

describe('bands', () => {
  it('share at least one band whenever two SimHashes are within the threshold (pigeonhole over 4 × 16 bits)', () => {
    // Every way of flipping up to SIMHASH_MAX_DISTANCE bits in the four bands, sampled deterministically.
    const base = fingerprint(TITLE, original);
    const word = BigInt('0x' + base.simhash);
    let seed = 7;
    for (let trial = 0; trial < 2000; trial++) {
      let flipped = word;
      const bits = new Set<number>();
      while (bits.size < 1 + (trial % SIMHASH_MAX_DISTANCE)) bits.add((seed = (seed * 1103515245 + 12345) % 2147483648) % 64);
      for (const b of bits) flipped ^= 1n << BigInt(b);
      const hex = flipped.toString(16).padStart(16, '0');
      const other = { ...base, simhash: hex, bands: [0, 4, 8, 12].map((i) => parseInt(hex.slice(i, i + 4), 16)) as [number, number, number, number] };
      expect(hamming(base.simhash, hex)).toBe(bits.size);
      expect(sharesBand(base, other)).toBe(true);
    }
  });
});

describe('speed', () => {
  it('fingerprints a 5 KB notice in well under a millisecond (sanity, not a timing test)', () => {
    const body = Array.from({ length: 6 }, () => original).join('\n');
    expect(Buffer.byteLength(body)).toBeGreaterThan(5000);
    const start = performance.now();
    for (let i = 0; i < 200; i++) fingerprint(TITLE + i, body);
    const perDocument = (performance.now() - start) / 200;
    // 20 ms is two orders above what it takes (≈ 0.2–0.4 ms): this catches an accidental O(n²), not a slow machine.
    expect(perDocument).toBeLessThan(20);
  });
});
