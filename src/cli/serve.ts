import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { startServer } from '../server.ts';
import { organizationHasCustomers, seedFirstStartDemo } from '../customers/demo/first-start-demo.ts';
import { formatSeedResult, printDemoStaff } from './demo.ts';

export function registerServe(program: Command) {
  program
    .command('serve', { isDefault: true })
    .description('run the API and web UI / 启动服务')
    .option('--demo', 'seed demo data on first start (default with the embedded database)')
    .option('--no-demo', 'never seed demo data')
    .option('--no-jobs', 'do not run background jobs in this process (another Kefu process runs them) / 本进程不运行后台任务')
    .action(async (o: { demo?: boolean; jobs?: boolean }) => {
      const config = loadConfig();
      const server = await startServer(config, {
        jobs: o.jobs ?? true,
        onBootstrap: async (boot, database) => {
          if (boot.created) {
            const lines = [
              '',
              `  管理员 / Admin: ${boot.adminEmail}`,
              boot.generatedPassword ? `  初始密码 / Password (shown once): ${boot.generatedPassword}` : '  密码 / Password: KEFU_ADMIN_PASSWORD',
              '',
            ];
            process.stdout.write(lines.join('\n') + '\n');
          }
          // Demo data: by default on the first start of the embedded database; on a PostgreSQL server only
          // with --demo (then also into an existing organization that has no customers yet); never with --no-demo.
          const wanted = o.demo ?? (database.kind === 'pglite' && boot.created);
          if (wanted && (boot.created || !(await organizationHasCustomers(database, boot.orgId)))) {
            process.stdout.write('  正在生成演示数据 / Seeding demo data …\n');
            try {
              const demo = await seedFirstStartDemo(database, boot.orgId);
              printDemoStaff(process.stdout, demo.staff, demo.password);
              process.stdout.write(`${formatSeedResult(demo.result)}\n`);
            } catch (err) {
              // The product works without demo data: say so and keep starting.
              process.stderr.write(`  演示数据生成失败 / Demo data failed: ${err instanceof Error ? err.message : String(err)}\n`);
            }
          }
        },
      });
      process.stdout.write(`Kefu 已启动 / running at ${server.url}  (database: ${server.database.kind})\n`);
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
