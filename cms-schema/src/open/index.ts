export * from './datasets.ts';
export * from './catalogue.ts';
export * from './protocol.ts';
export * from './units.ts';
export * from './access.ts';
