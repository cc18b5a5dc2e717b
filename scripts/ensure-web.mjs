#!/usr/bin/env node
// Builds the web UI before `npm start` when web/dist is missing or older than its sources,
// so a fresh clone serves the UI with no extra command and a rebuilt UI is never stale.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'web', 'dist', 'index.html');
const sources = [path.join(root, 'web', 'src'), path.join(root, 'web', 'index.html'), path.join(root, 'web', 'vite.config.ts')];

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

function builtMtime() {
  try {
    return fs.statSync(built).mtimeMs;
  } catch {
    return -1;
  }
}

const stamp = builtMtime();
const sourceStamp = Math.max(...sources.map(newestMtime));
if (stamp >= 0 && stamp >= sourceStamp) process.exit(0);

if (!fs.existsSync(path.join(root, 'web', 'src'))) {
  // Nothing to build (e.g. a server-only package); the server runs without the UI.
  process.exit(0);
}

process.stdout.write(stamp < 0 ? 'Building the web UI (first start)…\n' : 'Web UI sources changed; rebuilding…\n');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const result = spawnSync(process.execPath, [vite, 'build', '--config', path.join('web', 'vite.config.ts'), '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
  // Callers such as a test runner set NODE_ENV=test, which would make Vite bundle React's development build.
  env: { ...process.env, NODE_ENV: 'production' },
});
if (result.status !== 0) {
  process.stderr.write('Building the web UI failed; see the output above.\n');
  process.exit(result.status ?? 1);
}
