/** The dashboard's charts as markup: what is drawn and said for given numbers (pure functions, run in workerd). */
import { describe, expect, it } from 'vitest';
import { dailyChart } from '../../admin/chart.ts';
import { barChart, barSummary, scoreChart, scoreSummary, type ScorePoint } from './charts.ts';

const render = (h: unknown) => String(h);

describe('scoreChart', () => {
  const points: ScorePoint[] = [
    { schedule: 'quarterly', startedAt: '2026-03-01T02:00:00Z', average: 71.5, passed: 8, failed: 2 },
    { schedule: 'weekly', startedAt: '2026-03-10T02:00:00Z', average: null, passed: 0, failed: 1 },
    { schedule: 'quarterly', startedAt: '2026-03-20T02:00:00Z', average: 80, passed: 9, failed: 1 },
  ];

  it('says how many runs, the range of averages and the latest verdicts', () => {
    expect(scoreSummary(points, 30)).toBe(
      '近 30 天共 3 次检查；各次平均得分在 71.5 至 80 分之间。最近一次（2026-03-20 季普查）平均得分 80 分，合格 9 个、不合格 1 个网站。',
    );
    expect(scoreSummary([], 90)).toBe('近 90 天没有已完成的检查。');
  });

  it('draws one line per schedule with scores, a marker per run, and the 60-point line', () => {
    const svg = render(scoreChart(points, '2026-02-28T16:00:00Z', '2026-03-30T16:00:00Z', 30));
    expect(svg).toContain('role="img"');
    expect(svg.match(/<path d="M[^"]*" fill="none"/g)).toHaveLength(1); // the weekly run had no average: no line
    expect(svg.match(/<circle /g)).toHaveLength(3); // two runs and the legend
    expect(svg).toContain('合格线 60 分');
    expect(svg).toContain('<title>2026-03-01 季普查：平均 71.5 分，合格 8 个，不合格 2 个</title>');
    // y for 80 points: TOP 16 + 200 × (1 − 0.8) = 56
    expect(svg).toMatch(/L\d+\.\d 56\.0"/);
  });
});

describe('barChart', () => {
  const items = [
    { label: '甲县人民政府门户网站', value: 3 },
    { label: '乙县人民政府门户网站', value: 0 },
    { label: '丙市人民政府门户网站和一个很长很长的名字', value: 7 },
  ];
  it('lists units with a count, largest first, and shortens long names (the title keeps them)', () => {
    const svg = render(barChart(items, '发布信息', '条', 'b'));
    const titles = [...svg.matchAll(/<g><title>([^<]+)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(['丙市人民政府门户网站和一个很长很长的名字：7 条', '甲县人民政府门户网站：3 条']);
    expect(svg).toContain('>丙市人民政府门户网站和一个很长很…</text>');
    expect(barSummary(items, '发布信息', '条')).toBe('3 个网站共发布信息 10 条，2 个网站有记录；最多的是丙市人民政府门户网站和一个很长很长的名字（7 条）。');
    expect(render(barChart([{ label: '甲', value: 0 }], '发布信息', '条', 'e'))).toContain('暂无记录');
  });
});

describe('dailyChart dates', () => {
  const days = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ day: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), searches: i, zeroResults: 0 }));
  const labels = (n: number) => [...render(dailyChart(days(n), 'd')).matchAll(/font-size="13" fill="#333">(\d\d-\d\d)<\/text>/g)].map((m) => m[1]);
  it('keeps a month as before and never crowds a quarter or a year', () => {
    expect(labels(30)).toEqual(['01-01', '01-06', '01-11', '01-16', '01-21', '01-26', '01-30']);
    expect(labels(90).length).toBeLessThanOrEqual(9);
    expect(labels(365).length).toBeLessThanOrEqual(9);
    expect(labels(365).at(-1)).toBe('12-31');
  });
});
