// `kefu demo --orders-per-customer` and `kefu import orders` as a user runs them: a real `kefu`
// process on an embedded database in a temporary directory.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-orders-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function kefu(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, KEFU_DATA_DIR: path.join(dir, 'data'), KEFU_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kefu demo --orders-per-customer / kefu import orders (CLI, embedded database)', () => {
  it('seeds demo orders, imports an order file with a row-level report', () => {
    expect(kefu('org', 'create', '--name', '订单中心', '--admin-email', 'admin@orders.test', '--admin-password', 'password-123').code).toBe(0);
    const demo = kefu('demo', '--customers', '5', '--orders-per-customer', '2', '--contacts-per-customer', '0', '--managers', '1');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/订单 \/ orders: \d+ \(\d+ lines, \d+ stage events, \d+ returns\) for 5 customers/);

    const customers = path.join(dir, 'customers.csv');
    fs.writeFileSync(customers, '姓名,手机\r\n张三,13800000001\r\n');
    expect(kefu('import', 'customers', customers, '--json').code).toBe(0);
    const file = path.join(dir, '订单.csv');
    fs.writeFileSync(file, '\uFEFF订单号,手机,商品编码,数量,日期\r\nC1,13800000001,WP-F1,2,2024-05-01\r\nC2,13800000009,WP-F1,1,2024-05-01\r\n');
    const strict = kefu('import', 'orders', file, '--json');
    expect(strict.code).toBe(2);
    expect(JSON.parse(strict.stdout)).toEqual({ read: 2, imported: 1, orders: 1, skipped: 0, rejected: 1, committed: false, report: `${file}.errors.csv` });
    expect(fs.readFileSync(`${file}.errors.csv`, 'utf8')).toContain('3,手机,13800000009,找不到该客户（请先导入客户）,No such customer (import the customers first)');
    const ok = kefu('import', 'orders', file, '--mode', 'skip-invalid', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ read: 2, imported: 1, orders: 1, rejected: 1, committed: true });
    const again = kefu('import', 'orders', file, '--mode', 'skip-invalid', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ read: 2, imported: 0, skipped: 1, rejected: 1 });
  }, 600_000);
});
