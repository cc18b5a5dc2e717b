// The CLI as a user runs it: a real `kefu` process on an embedded database in a temporary directory.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';

const bin = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-cli-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function kefu(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, KEFU_DATA_DIR: path.join(dir, 'data'), KEFU_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kefu import/export customers (CLI, embedded database)', () => {
  it('imports with --json, writes the error report beside the file, exports and re-imports', () => {
    expect(kefu('org', 'create', '--name', '客服中心', '--admin-email', 'admin@cli.test', '--admin-password', 'password-123').code).toBe(0);
    const file = path.join(dir, '客户.csv');
    fs.writeFileSync(file, iconv.encode('姓名,手机,邮箱,省,市\r\n张三,13800000001,zs@x.com,广东,深圳\r\n\r\n李四,13800000002,bad@,广东,\r\n王五,13800000003,,浙江,杭州\r\n', 'gbk'));

    const aon = kefu('import', 'customers', file, '--json');
    expect(aon.code).toBe(2); // rolled back: a script can tell
    expect(JSON.parse(aon.stdout)).toEqual({ read: 3, created: 2, updated: 0, skipped: 0, rejected: 1, committed: false, report: `${file}.errors.csv` });
    const report = fs.readFileSync(`${file}.errors.csv`, 'utf8');
    expect(report.startsWith('\uFEFF')).toBe(true);
    expect(report).toContain('4,邮箱,bad@,邮箱格式不正确,Not a valid email address');

    const ok = kefu('import', 'customers', file, '--mode', 'skip-invalid', '--encoding', 'gbk', '--org', '客服中心', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ read: 3, created: 2, rejected: 1, committed: true });

    const out = path.join(dir, 'export.csv');
    const exp = kefu('export', 'customers', out);
    expect(exp.code).toBe(0);
    expect(JSON.parse(exp.stdout)).toMatchObject({ rows: 2, format: 'csv' });
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('张三,个人,\t13800000001,zs@x.com,广东省,深圳市');

    const masked = path.join(dir, 'masked.csv');
    expect(kefu('export', 'customers', masked, '--masked').code).toBe(0);
    expect(fs.readFileSync(masked, 'utf8')).toContain('138****0001');
    expect(fs.readFileSync(masked, 'utf8')).not.toContain('13800000001');

    // The customer list's filters, value filters included (nobody is scored yet: no key accounts).
    const gd = path.join(dir, 'gd.csv');
    expect(JSON.parse(kefu('export', 'customers', gd, '--region', '440000').stdout)).toMatchObject({ rows: 1 });
    expect(fs.readFileSync(gd, 'utf8')).toContain('张三');
    expect(JSON.parse(kefu('export', 'customers', gd, '--key-account', 'true').stdout)).toMatchObject({ rows: 0 });
    expect(JSON.parse(kefu('export', 'customers', gd, '--key-account', 'false', '--region', '330000').stdout)).toMatchObject({ rows: 1 });
    const badClass = kefu('export', 'customers', gd, '--rfm-class', 'nope');
    expect(badClass.code).toBe(1);
    expect(badClass.stderr).toContain('--rfm-class');
    const minAboveMax = kefu('export', 'customers', gd, '--min-clv', '10', '--max-clv', '5');
    expect(minAboveMax.code).toBe(1);
    expect(minAboveMax.stderr).toContain('minClv');

    const again = kefu('import', 'customers', out, '--dedupe', 'skip', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ read: 2, created: 0, skipped: 2, rejected: 0, report: null });
    // A clean run removes the stale report of an earlier run.
    expect(fs.existsSync(`${out}.errors.csv`)).toBe(false);

    const missing = kefu('import', 'customers', path.join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('文件不存在');
    const noName = path.join(dir, 'noname.csv');
    fs.writeFileSync(noName, 'mobile\n13800000000\n');
    const bad = kefu('import', 'customers', noName);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('name column');
  }, 180_000);
});
