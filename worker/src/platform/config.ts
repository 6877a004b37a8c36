/**
 * The platform's own hosts and what each one serves, validated with zod when the Worker starts (index.ts) and
 * again for any other environment object a test hands in. Site hosts are not configured here: they are the
 * registry's (site_hosts in D1). A host is either one of these or a site's.
 *
 * Production (wrangler.toml [env.production].vars.PLATFORM_HOSTS), e.g.
 *   admin.gxzf.gov.cn  → admin, templates, preview   (CMS, 模板库, previews of every site)
 *   search.gxzf.gov.cn → search                      (一网通查 across all sites)
 *   data.gxzf.gov.cn   → open                        (数据开放: the open-data interfaces)
 * Locally (unset): 127.0.0.1, localhost and [::1] serve all of it, as `npm start` prints.
 */
import { z } from 'zod';

export const CAPABILITIES = {
  admin: 'CMS 与管理后台（/admin、/api/cms）',
  templates: '模板库（/_templates）',
  preview: '网站索引与路径预览（/、/_site/<域名>/）',
  search: '一网通查（/search，跨全部网站）',
  open: '数据开放接口',
} as const;
export type Capability = keyof typeof CAPABILITIES;
const CapabilitySchema = z.enum(Object.keys(CAPABILITIES) as [Capability, ...Capability[]], { error: `能力须为 ${Object.keys(CAPABILITIES).join('、')} 之一` });

/** A host name as the Host header carries it (lower case, no port); IPv6 in brackets. */
const HostSchema = z
  .string()
  .regex(
    /^(?:\[[0-9a-f:]+\]|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)$/,
    '主机名格式不正确（小写字母、数字、连字符和点，不含端口和结尾的点）',
  );

const HostsSchema = z
  .record(HostSchema, z.array(CapabilitySchema).min(1, '每个平台主机至少提供一项能力').max(5))
  .refine((m) => Object.keys(m).length > 0, '至少配置一个平台主机')
  .refine((m) => Object.values(m).some((caps) => caps.includes('admin')), '须有一个主机提供 admin（内容管理）');

export const LOCAL_HOSTS: Record<string, Capability[]> = Object.fromEntries(
  ['127.0.0.1', 'localhost', '[::1]'].map((h) => [h, ['admin', 'templates', 'preview', 'search', 'open']]),
);

export interface PlatformConfig {
  /** Platform host → what it serves. */
  hosts: ReadonlyMap<string, ReadonlySet<Capability>>;
  /** The request header holding the client's address, when a trusted front sets it. */
  clientAddressHeader: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The JSON object wrangler binds, or its text (as `wrangler dev --var` passes it). */
const ObjectOrJson = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return Symbol('not-json');
  }
}, HostsSchema);

export function parsePlatformConfig(env: { PLATFORM_HOSTS?: unknown; CLIENT_ADDRESS_HEADER?: string | undefined }): PlatformConfig {
  const raw = env.PLATFORM_HOSTS === undefined || env.PLATFORM_HOSTS === '' ? LOCAL_HOSTS : env.PLATFORM_HOSTS;
  const parsed = ObjectOrJson.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    // A bad host name is a record-key issue; its own message is the one nested in it.
    const message =
      i.code === 'invalid_type' ? '应为 JSON 对象 { 主机名: [能力…] }' : i.code === 'invalid_key' ? (i.issues[0]?.message ?? i.message) : i.message;
    throw new ConfigError(`平台配置 PLATFORM_HOSTS${i.path.length ? '.' + i.path.join('.') : ''} 有误：${message}`);
  }
  const header = env.CLIENT_ADDRESS_HEADER?.trim().toLowerCase() || null;
  if (header !== null && !/^[a-z0-9-]{1,64}$/.test(header))
    throw new ConfigError('平台配置 CLIENT_ADDRESS_HEADER 有误：应为一个请求头名称，如 cf-connecting-ip');
  return {
    hosts: new Map(Object.entries(parsed.data).map(([h, caps]) => [h, new Set(caps)])),
    clientAddressHeader: header,
  };
}

const parsedFor = new WeakMap<object, PlatformConfig>();
/** The configuration of this environment, parsed once per environment object (i.e. once per isolate). */
export function platformConfig(env: object & { PLATFORM_HOSTS?: unknown; CLIENT_ADDRESS_HEADER?: string | undefined }): PlatformConfig {
  let c = parsedFor.get(env);
  if (!c) {
    c = parsePlatformConfig(env);
    parsedFor.set(env, c);
  }
  return c;
}
