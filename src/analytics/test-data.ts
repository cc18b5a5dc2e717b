// Test/bench helper: where the shared data sets live (never copied into the repository).
// env KEFU_SHARED_DATA, else <repo>/../shared/data, else /work/shared/data.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function sharedDataFile(name: string): string {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dirs = [process.env.KEFU_SHARED_DATA, path.join(repo, '..', 'shared', 'data'), '/work/shared/data'].filter(
    (d): d is string => typeof d === 'string' && d !== '',
  );
  for (const d of dirs) {
    const f = path.join(d, name);
    if (fs.existsSync(f)) return f;
  }
  throw new Error(`shared data file ${name} not found (set KEFU_SHARED_DATA)`);
}
