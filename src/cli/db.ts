import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type Database } from '../db/open.ts';

/** CLI commands open the same database the server would: DATABASE_URL, else the embedded one in KEFU_DATA_DIR. */
export async function withDatabase<T>(fn: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    return await fn(database, config);
  } finally {
    await database.close();
  }
}
