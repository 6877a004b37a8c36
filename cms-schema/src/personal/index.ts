export * from './interests.ts';
export * from './tags.ts';
export * from './hot.ts';
export * from './profile.ts';
export * from './rank.ts';
export * from './classifier.ts';
export * from './auto-tags.ts';
