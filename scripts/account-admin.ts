/**
 * `npm run account:admin -- --username gx-admin --display-name 平台管理员 [--remote]`: adds a platform admin
 * account — how a new deployment gets its first account (every later one is made by an admin). The password is
 * read from the environment variable YWTC_ADMIN_PASSWORD, never from the command line (which shells keep in
 * their history and `ps` shows). With --remote it writes the production D1 through wrangler's remote binding
 * (needs `wrangler login`); otherwise the local store of `npm start`.
 */
import { FirstAdminSchema, addPlatformAdmin } from '../worker/src/cms/accounts.ts';
import { applyMigrations, openPlatform } from './lib/platform.ts';

const args = process.argv.slice(2);
const value = (name: string) => args.find((_, i) => args[i - 1] === name) ?? args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
const remote = args.includes('--remote');

const input = { username: value('--username'), displayName: value('--display-name') ?? '平台管理员', password: process.env.YWTC_ADMIN_PASSWORD };
const parsed = FirstAdminSchema.safeParse(input);
if (!parsed.success) {
  const where: Record<string, string> = { username: '--username', displayName: '--display-name', password: 'YWTC_ADMIN_PASSWORD' };
  for (const i of parsed.error.issues) console.error(`${where[String(i.path[0])] ?? String(i.path[0])}：${i.message}`);
  console.error('未创建账号。');
  process.exit(2);
}

if (!remote) applyMigrations();
const platform = await openPlatform(undefined, remote);
try {
  const made = await addPlatformAdmin(platform.env.DB, parsed.data);
  console.log(`已创建平台管理员 ${made.username}（${remote ? '生产环境' : '本地'}），请登录 /admin 后修改密码。`);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
} finally {
  await platform.dispose();
}
