import { z } from 'zod';
import path from 'node:path';

// The only module that reads process.env: everything else receives a typed Config.
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  KEFU_DATA_DIR: z.string().default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  KEFU_ADMIN_EMAIL: z.string().email().optional(),
  KEFU_ADMIN_PASSWORD: z.string().min(8).optional(),
  KEFU_SESSION_HOURS: z.coerce.number().positive().default(12),
  KEFU_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KEFU_MAX_UPLOAD_MB: z.coerce.number().positive().default(100),
  KEFU_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().positive().default(10),
  KEFU_COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  KEFU_TRUST_PROXY: z.string().optional(),
  KEFU_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  KEFU_DB_POOL: z.coerce.number().int().min(1).max(500).optional(),
});

/** Peers whose X-Forwarded-For is believed by default: a reverse proxy on this host or the local network. */
export const DEFAULT_TRUST_PROXY = 'loopback,linklocal,uniquelocal';

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string | null } // null = in memory (tests)
  | { kind: 'postgres'; url: string; /** Connections per process (KEFU_DB_POOL); see DEFAULT_POOL_SIZE. */ poolSize?: number };

export interface Config {
  database: DatabaseTarget;
  dataDir: string;
  port: number;
  host: string;
  adminEmail?: string;
  adminPassword?: string;
  sessionHours: number;
  logLevel: z.infer<typeof envSchema>['KEFU_LOG_LEVEL'];
  maxUploadBytes: number;
  loginRatePerMinute: number;
  cookieSecure: boolean;
  /** Fastify trustProxy: which peers may set X-Forwarded-For (the client IP in audit entries). */
  trustProxy: boolean | string;
  /** HTTP worker processes sharing the port (PostgreSQL only: the embedded database belongs to one process). */
  workers: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set" (e.g. `DATABASE_URL= npm start`).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.KEFU_DATA_DIR);
  return {
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, ...(e.KEFU_DB_POOL ? { poolSize: e.KEFU_DB_POOL } : {}) }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    dataDir,
    port: e.PORT,
    host: e.HOST,
    adminEmail: e.KEFU_ADMIN_EMAIL,
    adminPassword: e.KEFU_ADMIN_PASSWORD,
    sessionHours: e.KEFU_SESSION_HOURS,
    logLevel: e.KEFU_LOG_LEVEL,
    maxUploadBytes: Math.round(e.KEFU_MAX_UPLOAD_MB * 1024 * 1024),
    loginRatePerMinute: e.KEFU_LOGIN_RATE_PER_MINUTE,
    cookieSecure: e.KEFU_COOKIE_SECURE === 'true',
    trustProxy: e.KEFU_TRUST_PROXY === 'true' ? true : e.KEFU_TRUST_PROXY === 'false' ? false : (e.KEFU_TRUST_PROXY ?? DEFAULT_TRUST_PROXY),
    workers: e.KEFU_WORKERS,
  };
}

/** Test-database URL for running database tests on a PostgreSQL server too. */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.TEST_DATABASE_URL || undefined;
}
