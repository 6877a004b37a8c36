/**
 * What an operation of the CMS (documents, templates, Q&A, search administration) returns: its value, or a
 * failure a client caused, with the status and the field to name (platform/http.ts `reply` turns it into the
 * answer). A bug is thrown instead and becomes a 500 (platform/errors.ts).
 */
export type Failure = { status: 400 | 403 | 404 | 409; field: string; message: string };
export type Result<T> = { ok: true; value: T } | ({ ok: false } & Failure);
export const fail = <T>(status: Failure['status'], field: string, message: string): Result<T> => ({ ok: false, status, field, message });
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
