import type { z } from 'zod';

/** One line per problem, naming the record and the field — the form seed errors and API 4xx bodies use. */
export function formatIssues(record: string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${record}: 字段 ${i.path.length ? i.path.join('.') : '(整条记录)'}: ${i.message}`);
}
