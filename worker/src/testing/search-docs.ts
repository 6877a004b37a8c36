/** A minimal policy document for search tests: its title is the only thing that sets it apart. */
import { SearchDocumentSchema, type SearchDocument } from '@ywtc/search';

export const searchDoc = (id: string, title: string, siteId: string): SearchDocument =>
  SearchDocumentSchema.parse({
    id,
    title,
    body: `${title}的正文。`,
    docNumber: null,
    keywords: [],
    summary: `${title}摘要`,
    kind: 'policy',
    issuer: '国务院',
    validity: '有效',
    publishedAt: '2021-06-01T00:00:00+08:00',
    placements: [{ siteId, path: `/zcwj/${id}.html` }],
  });
