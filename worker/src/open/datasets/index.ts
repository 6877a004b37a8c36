/** Each dataset of cms-schema's DATASETS and the query that answers it. */
import type { DatasetKey } from '@ywtc/cms-schema';
import { documentDataset } from './documents.ts';
import { qaDataset } from './qa.ts';
import { columnUpdatesDataset, columnsDataset, sitesDataset, templatesDataset } from './registry-data.ts';
import { hotSearchesDataset, publicationStatsDataset } from './statistics.ts';
import type { DatasetQuery } from './types.ts';

export const QUERIES: Record<DatasetKey, DatasetQuery> = {
  policies: documentDataset,
  regulations: documentDataset,
  interpretations: documentDataset,
  notices: documentDataset,
  news: documentDataset,
  'disclosure-docs': documentDataset,
  services: documentDataset,
  interaction: documentDataset,
  topics: documentDataset,
  qa: qaDataset,
  sites: sitesDataset,
  columns: columnsDataset,
  'publication-stats': publicationStatsDataset,
  'column-updates': columnUpdatesDataset,
  'hot-searches': hotSearchesDataset,
  templates: templatesDataset,
};
export type { DatasetQuery, OpenRecord, QueryContext, Keyset } from './types.ts';
