import { describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH, cleanQuery } from '../src/index.ts';

describe('cleanQuery', () => {
  it.each([
    ['社保', '社保'],
    ['"住房公积金" AND 提取*', '住房公积金 提取'],
    ['医保 NEAR(异地 就医)', '医保 异地 就医'],
    ['-失业 OR (补贴', '失业 补贴'],
    ['桂政办发〔2021〕120号', '桂政办发〔2021〕120号'],
    ['ＡＢＣ　１２３', 'ABC 123'],
    ['   ', ''],
    ['*', ''],
  ])('%s → %s', (raw, text) => {
    expect(cleanQuery(raw)).toEqual({ ok: true, text });
  });
  it('treats a missing query as empty and refuses an over-long one, naming the field', () => {
    expect(cleanQuery(undefined)).toEqual({ ok: true, text: '' });
    const long = cleanQuery('政'.repeat(MAX_QUERY_LENGTH + 1));
    expect(long).toMatchObject({ ok: false, field: 'q' });
  });
});
