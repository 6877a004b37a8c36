import { describe, expect, it } from 'vitest';
import { DocNumberSchema } from '@ywtc/cms-schema';
import { looksLikeDocNumber, normalizeDocNumber } from '../src/index.ts';

describe('normalizeDocNumber', () => {
  it.each([
    '桂政办发〔2021〕120号',
    '桂政办发[2021]120号',
    '桂政办发［2021］120号',
    '桂政办发（2021）120号',
    '桂政办发(2021)120号',
    '桂政办发【2021】120号',
    '桂政办发2021年120号',
    '桂政办发 2021 120号',
    '桂政办发〔2021〕第120号',
    '桂政办发〔２０２１〕１２０号',
    ' 桂政办发〔2021〕120 ',
    '桂政办发〔2021〕0120号',
  ])('%s → 桂政办发〔2021〕120号', (input) => {
    expect(normalizeDocNumber(input)).toBe('桂政办发〔2021〕120号');
  });
  it('gives forms the content model accepts', () => {
    for (const n of ['国发[2019]5号', '国办发明电(2018)15号', '冀政办字2019年9号'])
      expect(DocNumberSchema.safeParse(normalizeDocNumber(n)).success, n).toBe(true);
  });
  it.each(['社保', '2021年120号', '桂政办发', '桂政办发〔21〕120号', '桂政办发〔3021〕1号', '住房公积金提取'])('rejects %s', (input) => {
    expect(normalizeDocNumber(input)).toBeNull();
    expect(looksLikeDocNumber(input)).toBe(false);
  });
});
