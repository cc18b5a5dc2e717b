// Composition root: config → database → first-start bootstrap → jobs → http (API + web UI).
import crypto from 'node:crypto';

import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/open.ts';
import { buildApp, type App } from './http/app.ts';
import { startJobs, type JobRunner } from './jobs/boss.ts';
import './jobs/handlers.ts';
import { recoverInterruptedWfmRuns } from './wfm/recover.ts';
import { createOrganization } from './platform/create-organization.ts';
import { organizations } from './platform/tables.ts';

export interface BootstrapResult {
  created: boolean;
  orgId: string;
  adminEmail?: string;
  /** Only when generated: printed once, never stored in clear. */
  generatedPassword?: string;
}

export const DEMO_ORG_NAME = 'Kefu 演示公司';

/** First start: create the organization and its admin when the database has none. */
export async function bootstrap(database: Database, config: Config): Promise<BootstrapResult> {
  const [existing] = await database.db.select({ id: organizations.id }).from(organizations).orderBy(organizations.createdAt).limit(1);
  if (existing) return { created: false, orgId: existing.id };
  const adminEmail = config.adminEmail ?? 'admin@kefu.local';
  const generatedPassword = config.adminPassword ? undefined : crypto.randomBytes(9).toString('base64url');
  const org = await createOrganization(database.db, {
    name: DEMO_ORG_NAME,
    adminEmail,
    adminPassword: config.adminPassword ?? generatedPassword!,
    adminName: '管理员',
  });
  return { created: true, orgId: org.orgId, adminEmail, generatedPassword };
}

export interface RunningServer {
  app: App;
  database: Database;
  /** Background jobs (absent when started with `jobs: false`). */
  jobs?: JobRunner;
  url: string;
  close(): Promise<void>;
}

export async function startServer(
  config: Config,
  opts: {
    log?: Logger;
    demo?: boolean | 'auto';
    onBootstrap?: (r: BootstrapResult, database: Database) => Promise<void>;
    /** Run background jobs in this process (default true). */
    jobs?: boolean;
  } = {},
): Promise<RunningServer> {
  const log = opts.log ?? pino({ level: config.logLevel });
  const database = await openDatabase(config.database);
  let jobs: JobRunner | undefined;
  try {
    const boot = await bootstrap(database, config);
    await opts.onBootstrap?.(boot, database);
    if (opts.jobs ?? true) jobs = await startJobs(database, { log: log.child({ module: 'jobs' }) });
    await recoverInterruptedWfmRuns(database.db, { jobs, log: log.child({ module: 'wfm' }) });
    const app = await buildApp({ database, config, log, jobs, trustedResponses: 'serialize' });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://localhost:${port}`;
    return {
      app,
      database,
      jobs,
      url,
      async close() {
        // Stop taking requests, let running jobs finish (or fail them for a retry), then close the database.
        await app.close();
        await jobs?.stop({ graceful: true, timeoutMs: 10_000 });
        await database.close();
      },
    };
  } catch (err) {
    await jobs?.stop({ graceful: false }).catch(() => {});
    await database.close();
    throw err;
  }
}

