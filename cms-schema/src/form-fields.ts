/**
 * Form fields derived from a zod object schema (through its JSON Schema, as the client would send it), so a
 * field added to the schema appears in the CMS editor without touching the form. The label is the field's
 * `.meta({ title })` (the field name when it has none); `x-widget` picks a special control (rich text,
 * attachments) and `x-labels` names enum values. Validation stays in the schema: the form only shows hints.
 */
import { z } from 'zod';

export type FieldWidget =
  | 'text'
  | 'textarea'
  | 'select'
  | 'date'
  | 'datetime'
  | 'url'
  | 'number'
  | 'checkbox'
  | 'checkboxes'
  | 'list'
  | 'lines'
  | 'richtext'
  | 'attachments'
  | 'json'
  | 'group'
  /** A document reference picked by searching (a 解读's policy: title or 发文字号), not typed as an id. */
  | 'policy';

export interface FormField {
  name: string;
  label: string;
  widget: FieldWidget;
  /** The client must send it (no default in the schema). */
  required: boolean;
  /** An empty control is sent as null. */
  nullable: boolean;
  description?: string;
  options?: { value: string; label: string }[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
  /** A group's own fields (`x-widget: 'group'` on an object), named `<group>.<field>`. */
  children?: FormField[];
}

type Json = Record<string, unknown> & {
  type?: string | string[];
  anyOf?: Json[];
  enum?: unknown[];
  items?: Json;
  format?: string;
  title?: string;
  description?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
};

/** The longest text that still gets a one-line input. */
const SHORT_TEXT = 200;

function widgetOf(s: Json): FieldWidget {
  const special = s['x-widget'];
  if (typeof special === 'string') return special as FieldWidget;
  if (s.enum) return 'select';
  switch (s.type) {
    case 'boolean':
      return 'checkbox';
    case 'integer':
    case 'number':
      return 'number';
    case 'array':
      // An array of codes is a set of checkboxes; of free text, a list.
      return s.items?.enum ? 'checkboxes' : s.items?.type === 'string' ? 'list' : 'json';
    case 'object':
      return 'json';
    case 'string':
      if (s.format === 'date') return 'date';
      if (s.format === 'date-time') return 'datetime';
      if (s.format === 'uri') return 'url';
      // A pattern means a code (索引号, 文档 ID): one line, whatever its length.
      return s.pattern === undefined && (s.maxLength ?? Infinity) > SHORT_TEXT ? 'textarea' : 'text';
    default:
      return 'text';
  }
}

type ObjectJson = Json & { properties?: Record<string, Json>; required?: string[] };

export function formFieldsFrom(schema: z.ZodObject): FormField[] {
  return fieldsOf(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as ObjectJson, '');
}

function fieldsOf(json: ObjectJson, prefix: string): FormField[] {
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([key, prop]) => {
    const name = prefix + key;
    // `x | null` is an anyOf of the value and null; the metadata sits on the outer schema.
    const alternatives = prop.anyOf ?? [prop];
    const nullable = alternatives.some((a) => a.type === 'null');
    const value = {
      ...(alternatives.find((a) => a.type !== 'null') ?? prop),
      ...Object.fromEntries(Object.entries(prop).filter(([k]) => k !== 'anyOf')),
    } as Json;
    const labels = (value['x-labels'] ?? {}) as Record<string, string>;
    const field: FormField = { name, label: value.title ?? name, widget: widgetOf(value), required: required.has(key), nullable };
    if (value.description) field.description = value.description;
    const choices = value.enum ?? (field.widget === 'checkboxes' ? value.items?.enum : undefined);
    if (choices) field.options = choices.map((v) => ({ value: String(v), label: labels[String(v)] ?? String(v) }));
    if (field.widget === 'group') field.children = fieldsOf(value, `${name}.`);
    if (value.minLength !== undefined) field.minLength = value.minLength;
    if (value.maxLength !== undefined && field.widget !== 'richtext') field.maxLength = value.maxLength;
    // Date patterns are zod's calendar check; the browser's date control already does better.
    if (value.pattern && field.widget !== 'date') field.pattern = value.pattern;
    if ('default' in value) field.default = value.default;
    return field;
  });
}
