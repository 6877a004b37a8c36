import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DraftSchema, formFieldsFrom } from '../src/index.ts';

describe('form fields derived from a schema', () => {
  it('gives every DraftSchema field one control, with its Chinese label, in schema order', () => {
    const fields = formFieldsFrom(DraftSchema);
    expect(fields.map((f) => f.name)).toEqual(Object.keys(DraftSchema.shape));
    for (const f of fields) expect(f.label, f.name).toMatch(/[\u4e00-\u9fa5]/);
    const by = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(by.kind).toMatchObject({ label: '文档类型', widget: 'select', required: true, nullable: false });
    expect(by.kind!.options).toContainEqual({ value: 'policy', label: '政策文件' });
    expect(by.title).toMatchObject({ label: '标题', widget: 'text', required: true, minLength: 2, maxLength: 200 });
    expect(by.bodyHtml).toMatchObject({ label: '正文', widget: 'richtext', required: true });
    expect(by.summary).toMatchObject({ widget: 'textarea', required: false, default: '' });
    expect(by.keywords).toMatchObject({ widget: 'list', required: false });
    expect(by.docNumber).toMatchObject({ label: '发文字号', widget: 'text', nullable: true, required: false });
    expect(by.writtenOn).toMatchObject({ label: '成文日期', widget: 'date', nullable: true });
    expect(by.sourceUrl).toMatchObject({ widget: 'url', nullable: true });
    expect(by.validity!.options!.map((o) => o.value)).toEqual(['有效', '失效', '废止']);
    expect(by.attachments).toMatchObject({ label: '附件', widget: 'attachments' });
    // A 解读's policy is picked by searching, not typed as an id.
    expect(by.interprets).toMatchObject({ label: '所解读的政策文件', nullable: true, widget: 'policy' });
    expect(by.indexNumber).toMatchObject({ widget: 'text' });
  });

  it('follows the schema: a new field appears, labelled by its meta or else by its name', () => {
    const schema = z.object({
      a: z.string().max(20).meta({ title: '甲' }),
      b: z.number().int().optional(),
      c: z.boolean().default(false).meta({ title: '丙' }),
      d: z.enum(['x', 'y']).nullable().default(null),
      e: z.string().transform((s) => s.trim()),
    });
    expect(formFieldsFrom(schema)).toEqual([
      { name: 'a', label: '甲', widget: 'text', required: true, nullable: false, maxLength: 20 },
      { name: 'b', label: 'b', widget: 'number', required: false, nullable: false },
      { name: 'c', label: '丙', widget: 'checkbox', required: false, nullable: false, default: false },
      {
        name: 'd',
        label: 'd',
        widget: 'select',
        required: false,
        nullable: true,
        default: null,
        options: [
          { value: 'x', label: 'x' },
          { value: 'y', label: 'y' },
        ],
      },
      { name: 'e', label: 'e', widget: 'textarea', required: true, nullable: false },
    ]);
  });

  it('leaves validation to the schema: titles change nothing a draft may be', () => {
    expect(DraftSchema.safeParse({ kind: 'article', title: '标题', bodyHtml: '<p>x</p>', source: '来源单位' }).success).toBe(true);
    expect(DraftSchema.safeParse({ kind: 'policy', title: '标题', bodyHtml: '<p>x</p>', source: '来源单位' }).error?.issues[0]?.path).toEqual(['issuer']);
  });
});
