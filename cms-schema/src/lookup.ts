/**
 * A value of a fixed table by a key that came from outside (a file extension, a tag name, a query parameter).
 * `table[key]` would also find what every object inherits — `constructor`, `toString`, `__proto__` — and
 * hand a function to code expecting a string or a list (an upload named "x.constructor", a body with
 * <constructor>, `?done=__proto__`). Own keys only.
 */
export const lookup = <V>(table: Readonly<Record<string, V>>, key: string | null | undefined): V | undefined =>
  key !== null && key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
