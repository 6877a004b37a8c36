/** The platform's hosts configuration: defaults, both forms wrangler hands it in, and errors that name the field. */
import { describe, expect, it } from 'vitest';
import { ConfigError, LOCAL_HOSTS, parsePlatformConfig } from './config.ts';

const caps = (c: ReturnType<typeof parsePlatformConfig>, host: string) => [...(c.hosts.get(host) ?? [])].sort();

describe('platform configuration', () => {
  it('serves everything on the loopback hosts when nothing is configured, and trusts no address header', () => {
    const c = parsePlatformConfig({});
    expect([...c.hosts.keys()].sort()).toEqual(Object.keys(LOCAL_HOSTS).sort());
    expect(caps(c, '127.0.0.1')).toEqual(['admin', 'open', 'preview', 'search', 'templates']);
    expect(c.clientAddressHeader).toBeNull();
  });

  it('takes the hosts as a JSON object (wrangler.toml) or its text (wrangler dev --var)', () => {
    const hosts = { 'admin.example.gov.cn': ['admin', 'templates'], 'search.example.gov.cn': ['search'] };
    for (const given of [hosts, JSON.stringify(hosts)]) {
      const c = parsePlatformConfig({ PLATFORM_HOSTS: given, CLIENT_ADDRESS_HEADER: 'CF-Connecting-IP' });
      expect(caps(c, 'admin.example.gov.cn')).toEqual(['admin', 'templates']);
      expect(caps(c, 'search.example.gov.cn')).toEqual(['search']);
      expect(c.hosts.has('127.0.0.1')).toBe(false);
      expect(c.clientAddressHeader).toBe('cf-connecting-ip');
    }
  });

  it('refuses a wrong configuration with a message naming the field, so the Worker does not start with it', () => {
    const cases: [unknown, RegExp][] = [
      [{ 'Admin.Example.gov.cn:443': ['admin'] }, /PLATFORM_HOSTS\.Admin\.Example\.gov\.cn:443.*主机名格式不正确/],
      [{ 'admin.example.gov.cn': ['cms'] }, /PLATFORM_HOSTS\.admin\.example\.gov\.cn\.0.*能力须为/],
      [{ 'admin.example.gov.cn': [] }, /至少提供一项能力/],
      [{ 'search.example.gov.cn': ['search'] }, /须有一个主机提供 admin/],
      ['{not json', /应为 JSON 对象/],
      [['admin'], /应为 JSON 对象/],
    ];
    for (const [hosts, message] of cases) {
      expect(() => parsePlatformConfig({ PLATFORM_HOSTS: hosts }), JSON.stringify(hosts)).toThrow(ConfigError);
      expect(() => parsePlatformConfig({ PLATFORM_HOSTS: hosts }), JSON.stringify(hosts)).toThrow(message);
    }
    expect(() => parsePlatformConfig({ CLIENT_ADDRESS_HEADER: 'x: y' })).toThrow(/CLIENT_ADDRESS_HEADER/);
  });
});
