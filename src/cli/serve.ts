import cluster from 'node:cluster';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type Database } from '../db/open.ts';
import { bootstrap, startServer, type BootstrapResult } from '../server.ts';
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
      const onBootstrap = async (boot: BootstrapResult, database: Database) => {
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
      };

      if (config.workers > 1 && config.database.kind === 'pglite') {
        process.stderr.write(
          'KEFU_WORKERS > 1 needs a PostgreSQL server (DATABASE_URL): the embedded database belongs to one process. Starting one process.\n' +
            'KEFU_WORKERS 大于 1 需要 PostgreSQL 服务器（DATABASE_URL）：内置数据库只能由一个进程使用。现以单进程启动。\n',
        );
        config.workers = 1;
      }
      if (config.workers > 1 && cluster.isPrimary) {
        await runPrimary(config, onBootstrap);
        return;
      }

      // One process, or one worker of the cluster (the primary already migrated and bootstrapped).
      const server = await startServer(config, { jobs: o.jobs ?? true, onBootstrap: cluster.isWorker ? undefined : onBootstrap });
      if (!cluster.isWorker) process.stdout.write(`Kefu 已启动 / running at ${server.url}  (database: ${server.database.kind})\n`);
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

/**
 * KEFU_WORKERS > 1 on PostgreSQL: one Node.js process runs on one core, so several processes share
 * the port (node:cluster) the way several servers share a load balancer. They are stateless: sessions
 * live in the database. The primary migrates and bootstraps once, then forks the workers and
 * replaces any that dies.
 */
async function runPrimary(config: Config, onBootstrap: (boot: BootstrapResult, database: Database) => Promise<void>) {
  const database = await openDatabase(config.database);
  try {
    await onBootstrap(await bootstrap(database, config), database);
  } finally {
    await database.close();
  }
  let stopping = false;
  let ready = 0;
  let forked = 0;
  const fork = () => {
    forked++;
    cluster.fork();
  };
  // Workers start one after another: each starts the job runner, whose first start creates its
  // schema, and two processes creating it at once deadlock in PostgreSQL (seen in the benchmark).
  cluster.on('listening', () => {
    ready++;
    if (forked < config.workers) fork();
    else if (ready === config.workers) {
      process.stdout.write(`Kefu 已启动 / running at http://localhost:${config.port}  (database: postgres, ${config.workers} worker processes)\n`);
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    process.stderr.write(`worker ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
    cluster.fork();
  });
  fork();
  const stop = () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    let left = workers.length;
    if (left === 0) process.exit(0);
    for (const w of workers) {
      w.once('exit', () => {
        if (--left === 0) process.exit(0);
      });
      w.process.kill('SIGTERM');
    }
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
