// `kefu wfm shifts|roster` as a user runs them: a real `kefu` child process on JSON files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-wfm-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function kefu(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, KEFU_DATA_DIR: path.join(dir, 'data'), KEFU_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('kefu wfm shifts (CLI)', () => {
  it('solves the reference: 55 shifts, optimal', () => {
    const file = write('shifts.json', {
      intervalMinutes: 60,
      cyclic: true,
      requirements: [6, 6, 6, 6, 6, 8, 9, 12, 18, 22, 25, 21, 21, 20, 18, 21, 21, 24, 24, 18, 18, 18, 12, 8],
      shiftTemplates: [{ name: 'day8', lengthIntervals: 8, cost: 1 }],
    });
    const r = kefu('wfm', 'shifts', '--input', file, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { status: string; shiftsUsed: number; lowerBound: number; gap: number; coverage: number[]; assignments: { start: number; template: string; count: number }[] };
    expect(out).toMatchObject({ status: 'optimal', shiftsUsed: 55, lowerBound: 55, gap: 0 });
    expect(out.coverage).toHaveLength(24);
    expect(out.assignments.reduce((s, a) => s + a.count, 0)).toBe(55);
    expect(out.assignments.every((a) => a.template === 'day8')).toBe(true);
    const text = kefu('wfm', 'shifts', '--input', file);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('shifts used: 55');
  }, 120_000);

  it('reports invalid input as exit code 2 with field errors', () => {
    const file = write('bad.json', { intervalMinutes: 60, cyclic: true, requirements: [], shiftTemplates: [] });
    const r = kefu('wfm', 'shifts', '--input', file, '--json');
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { error: string; fields: { path: string }[] };
    expect(out.error).toBe('invalid');
    expect(out.fields.map((f) => f.path)).toEqual(['requirements', 'shiftTemplates']);
    const notJson = kefu('wfm', 'shifts', '--input', write('broken.json', '{'));
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('input');
  }, 120_000);
});

describe('kefu wfm roster (CLI)', () => {
  it('rosters two agents for a week and reports no violations', () => {
    const file = write('roster.json', {
      days: 7,
      shifts: [
        { id: 'early', startMinute: 420, lengthMinutes: 480 },
        { id: 'late', startMinute: 840, lengthMinutes: 480 },
      ],
      agents: [
        { id: 'a', name: '甲', skills: ['general'], preferences: { preferredShifts: ['early'] } },
        { id: 'b', name: '乙', skills: ['general'], unavailableDays: [0] },
      ],
      rules: { maxHoursPerWeek: 40, minRestHours: 11, maxConsecutiveDays: 5, minDaysOffPerWeek: 2 },
      demand: Array.from({ length: 7 }, (_, day) => ({ day, shift: day % 2 ? 'late' : 'early', count: 1 })),
    });
    const r = kefu('wfm', 'roster', '--input', file, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { violations: unknown[]; shortfall: number; roster: { agentId: string; days: (string | null)[] }[]; preferenceSatisfaction: { overall: number } };
    expect(out.violations).toEqual([]);
    expect(out.roster.map((x) => x.agentId)).toEqual(['a', 'b']);
    expect(out.roster[1].days[0]).toBeNull();
    // Seven shifts, two agents with five days each: all covered.
    expect(out.shortfall).toBe(0);
    expect(out.roster.flatMap((x) => x.days).filter((s) => s !== null)).toHaveLength(7);
    const bad = kefu('wfm', 'roster', '--input', write('roster-bad.json', { days: 7 }), '--json');
    expect(bad.code).toBe(2);
    expect((JSON.parse(bad.stdout) as { fields: { path: string }[] }).fields.map((f) => f.path)).toEqual(['shifts', 'rules', 'agents', 'demand']);
  }, 120_000);

  it('takes per-skill interval demand and reports coverage per skill', () => {
    const hours = (from: number, to: number) => Array.from({ length: 24 }, (_, h) => (h >= from && h < to ? 1 : 0));
    const file = write('roster-skills.json', {
      days: 7,
      shifts: [{ id: 'day', startMinute: 480, lengthMinutes: 480 }],
      agents: [
        { id: 'a', name: '甲', skills: ['general', 'billing'] },
        { id: 'b', name: '乙', skills: ['general'] },
      ],
      rules: { maxHoursPerWeek: 56, minRestHours: 11, maxConsecutiveDays: 7, minDaysOffPerWeek: 0 },
      demand: [],
      intervalDemand: { intervalMinutes: 60, requirements: [{ skill: 'general', values: hours(8, 16) }, { skill: 'billing', values: hours(8, 12) }] },
    });
    const r = kefu('wfm', 'roster', '--input', file, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { violations: unknown[]; skillCoverage: { skill: string; requiredHours: number; shortfallHours: number }[]; intervalCoverage: unknown[] };
    expect(out.violations).toEqual([]);
    expect(out.skillCoverage).toEqual([
      { skill: 'general', requiredHours: 56, coveredHours: 56, shortfallHours: 0 },
      { skill: 'billing', requiredHours: 28, coveredHours: 28, shortfallHours: 0 },
    ]);
    expect(out.intervalCoverage).toHaveLength(7 * 12);
    const text = kefu('wfm', 'roster', '--input', file);
    expect(text.stdout).toContain('billing');
  }, 120_000);
});
