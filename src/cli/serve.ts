import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { startServer } from '../server.ts';

export function registerServe(program: Command) {
  program
    .command('serve', { isDefault: true })
    .description('run the API and web UI / 启动服务')
    .option('--demo', 'seed demo data on first start (default with the embedded database)')
    .option('--no-demo', 'never seed demo data')
    .action(async (o: { demo?: boolean }) => {
      const config = loadConfig();
      const server = await startServer(config, {
        onBootstrap: async (boot) => {
          if (boot.created) {
            const lines = [
              '',
              `  管理员 / Admin: ${boot.adminEmail}`,
              boot.generatedPassword ? `  初始密码 / Password (shown once): ${boot.generatedPassword}` : '  密码 / Password: KEFU_ADMIN_PASSWORD',
              '',
            ];
            process.stdout.write(lines.join('\n') + '\n');
          }
          void o;
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
