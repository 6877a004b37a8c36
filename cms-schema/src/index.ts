export * from './site.ts';
export * from './column.ts';
export * from './document.ts';
export * from './qa.ts';
export * from './time.ts';
export * from './sanitize.ts';
export * from './table.ts';
export * from './issues.ts';
