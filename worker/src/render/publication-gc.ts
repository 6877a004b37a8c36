/**
 * Old versions of a site in R2 are deleted once nobody can reach them: after a full publish (ingest.ts) and
 * after an incremental one (render/update-site.ts). The rule itself is cms-schema's unreachableVersions.
 */
import { ManifestSchema, publicationKeys as keys, unreachableVersions } from '@ywtc/cms-schema';

/** Deletes versions of a site nobody can reach any more (cms-schema unreachableVersions). */
export async function collectGarbage(bucket: R2Bucket, site: string, live: string): Promise<number> {
  const prefix = keys.manifest(site, '');
  const listed: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, limit: 1000, ...(cursor ? { cursor } : {}) });
    listed.push(...page.objects.map((o) => o.key.slice(prefix.length)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  if (listed.length <= GC_KEEP) return 0;
  const manifests = (
    await Promise.all(
      listed.map(async (version) => {
        const obj = await bucket.get(keys.manifest(site, version));
        const parsed = obj ? ManifestSchema.safeParse(await obj.json()) : null;
        return parsed?.success ? parsed.data : null;
      }),
    )
  ).filter((m): m is NonNullable<typeof m> => m !== null);
  const gone = unreachableVersions(manifests, live, GC_KEEP);
  const doomed = [...gone.manifests.map((v) => keys.manifest(site, v)), ...gone.packs.map((v) => keys.pack(site, v))];
  if (doomed.length) await bucket.delete(doomed);
  return doomed.length;
}
const GC_KEEP = 3;
