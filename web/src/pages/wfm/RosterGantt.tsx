import { useTranslation } from 'react-i18next';
import { hhmm, pct, type Roster, type RosterShift } from './types.ts';

const DAY_MS = 86_400_000;

/**
 * 排班甘特图: one row per agent, one column per day, each shift a bar placed by its local time, its scheduled
 * break hatched inside it; rule violations in red. Below: coverage per skill and the under-covered intervals.
 */
export function RosterGantt({ r }: { r: Roster }) {
  const { t } = useTranslation();
  if (r.status === 'queued' || r.status === 'running') return <div className="card" data-testid="wfm-roster-running">{t(`wfm.solveStatus.${r.status}`)} · {t('wfm.solving')}</div>;
  if (r.status === 'failed') return <div className="alert alert-error" data-testid="wfm-roster-failed">{t('wfm.runFailed', { error: r.error ?? '' })}</div>;
  const start = Date.parse(`${r.startDate}T00:00:00Z`);
  const types = new Map(r.shiftTypes.map((s) => [s.id, s]));
  const violated = new Set(r.violations.map((v) => `${v.agentId}|${v.day ?? ''}`));
  const violatedAgents = new Set(r.violations.map((v) => v.agentId));
  const days = Array.from({ length: r.days }, (_, d) => new Date(start + d * DAY_MS).toISOString().slice(0, 10));
  const skillNames = new Map(r.skillCoverage.map((c) => [c.skill, c.skillName]));
  const skillLabel = (skill: string | null) => (skill === null ? t('wfm.anySkill') : skillNames.get(skill) ?? skill);
  return (
    <div className="card">
      <div className="stats" data-testid="wfm-roster-stats">
        <div className="stat"><div className="stat-label">{t('wfm.status')}</div><div className="stat-value">{t(`wfm.solveStatus.${r.status}`)}</div></div>
        <div className="stat"><div className="stat-label">{t('wfm.rosteredShifts')}</div><div className="stat-value">{r.shifts.length}</div></div>
        {r.demandMode === 'interval'
          ? <div className="stat"><div className="stat-label">{t('wfm.skillShortfall')}</div><div className="stat-value">{r.skillCoverage.reduce((h, c) => h + c.shortfallHours, 0).toFixed(1)}</div></div>
          : <div className="stat"><div className="stat-label">{t('wfm.shortfall')}</div><div className="stat-value">{r.shortfall ?? '—'}</div></div>}
        <div className="stat"><div className="stat-label">{t('wfm.preferences')}</div><div className="stat-value">{pct(r.preferenceSatisfaction)}</div></div>
        <div className="stat"><div className="stat-label">{t('wfm.violations')}</div><div className={`stat-value${r.violations.length ? ' text-danger' : ''}`}>{r.violations.length}</div></div>
      </div>
      <div className="gantt" data-testid="wfm-gantt" style={{ display: 'grid', gridTemplateColumns: `140px repeat(${r.days}, minmax(90px, 1fr)) 70px`, fontSize: 12, border: '1px solid #e5e7eb' }}>
        <div style={{ padding: 4, fontWeight: 600 }}>{t('wfm.agent')}</div>
        {days.map((d) => <div key={d} style={{ padding: 4, fontWeight: 600, borderLeft: '1px solid #e5e7eb' }}>{d.slice(5)}</div>)}
        <div style={{ padding: 4, fontWeight: 600, borderLeft: '1px solid #e5e7eb' }}>{t('wfm.hours')}</div>
        {r.agents.map((a) => (
          <GanttRow key={a.id} name={a.name} hours={a.hoursPerWeek.reduce((x, y) => x + y, 0)} bad={violatedAgents.has(a.id)} testId={`wfm-gantt-row-${a.name}`}>
            {days.map((_, d) => {
              const cell = r.shifts.filter((s) => s.agentId === a.id && s.day === d);
              const bad = violated.has(`${a.id}|${d}`);
              return (
                <div key={d} style={{ position: 'relative', height: 26, borderLeft: '1px solid #e5e7eb', borderTop: '1px solid #f3f4f6', background: bad ? '#fee2e2' : undefined }}>
                  {cell.map((s) => {
                    const type = types.get(s.shiftId);
                    // Local times come from the shift type (the organization's clock), not the browser's time zone.
                    const startMin = type?.startMinute ?? 0;
                    const len = type?.lengthMinutes ?? (Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 60_000;
                    const color = type?.kind === 'happy_hour' ? '#f59e0b' : type?.kind === 'family' ? '#10b981' : '#3b82f6';
                    const brk = breakOf(s, startMin);
                    const skills = (s.skills ?? []).map((g) => `${skillLabel(g.skill)} ${hhmm(g.fromMinute)}–${hhmm(g.toMinute)}`);
                    const title = [`${s.shiftId} ${hhmm(startMin)}–${hhmm(startMin + len)}`, brk ? t('wfm.breakTitle', { from: hhmm(brk.from), to: hhmm(brk.to) }) : null, ...skills].filter(Boolean).join('\n');
                    return (
                      <div key={s.id} className="gantt-bar" title={title}
                        style={{ position: 'absolute', top: 4, bottom: 4, left: `${(startMin / 1440) * 100}%`, width: `${Math.min(100, (len / 1440) * 100)}%`, background: bad ? '#dc2626' : color, borderRadius: 3, overflow: 'hidden' }}>
                        {brk && (
                          <div className="gantt-break" data-testid="wfm-gantt-break" title={t('wfm.breakTitle', { from: hhmm(brk.from), to: hhmm(brk.to) })}
                            style={{ position: 'absolute', top: 0, bottom: 0, left: `${((brk.from - startMin) / len) * 100}%`, width: `${Math.max(2, ((brk.to - brk.from) / len) * 100)}%`, background: 'repeating-linear-gradient(45deg, #fff 0 2px, #9ca3af 2px 4px)', outline: '1px solid #374151' }} />
                        )}
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </GanttRow>
        ))}
      </div>
      <p className="muted small">{t('wfm.ganttLegend')}</p>
      {r.violations.length > 0 && (
        <ul className="text-danger" data-testid="wfm-violations">
          {r.violations.map((v, i) => <li key={i}>{t(`wfm.rule.${v.rule}`, { defaultValue: v.rule })}: {r.agents.find((a) => a.id === v.agentId)?.name} {v.detail}</li>)}
        </ul>
      )}
      {r.understaffing.length > 0 && <p className="muted small">{t('wfm.understaffed', { n: r.understaffing.reduce((s, u) => s + u.required - u.assigned, 0) })}</p>}
      <SkillCoverage r={r} days={days} skillLabel={skillLabel} />
    </div>
  );
}

/** The scheduled break in local minutes of the shift's day (the shift type's clock plus the stored offset), or null. */
function breakOf(s: RosterShift, startMin: number): { from: number; to: number } | null {
  if (!s.breakStartsAt || !s.breakEndsAt) return null;
  const from = startMin + (Date.parse(s.breakStartsAt) - Date.parse(s.startsAt)) / 60_000;
  return { from, to: from + (Date.parse(s.breakEndsAt) - Date.parse(s.breakStartsAt)) / 60_000 };
}

const UNDER_SHOWN = 12;

/** Per skill: required, covered and short agent-hours; then the first under-covered runs of intervals. */
function SkillCoverage({ r, days, skillLabel }: { r: Roster; days: string[]; skillLabel: (skill: string | null) => string }) {
  const { t } = useTranslation();
  if (r.demandMode === 'shift') return r.status === 'optimal' || r.status === 'feasible' ? <p className="muted small" data-testid="wfm-skill-coverage-legacy">{t('wfm.shiftDemandRoster')}</p> : null;
  if (!r.skillCoverage.length) return null;
  return (
    <div data-testid="wfm-skill-coverage">
      <h3>{t('wfm.skillCoverage')}</h3>
      <table className="table">
        <thead><tr><th>{t('wfm.skill')}</th><th className="num">{t('wfm.requiredHours')}</th><th className="num">{t('wfm.coveredHours')}</th><th className="num">{t('wfm.shortfallHours')}</th><th className="num">{t('wfm.coverageRate')}</th></tr></thead>
        <tbody>
          {r.skillCoverage.map((c) => (
            <tr key={c.skill ?? ''} data-testid={`wfm-skill-row-${c.skill ?? 'any'}`}>
              <td>{skillLabel(c.skill)}</td>
              <td className="num">{c.requiredHours.toFixed(1)}</td>
              <td className="num">{c.coveredHours.toFixed(1)}</td>
              <td className={`num${c.shortfallHours > 0 ? ' text-danger' : ''}`}>{c.shortfallHours.toFixed(1)}</td>
              <td className="num">{pct(c.requiredHours > 0 ? c.coveredHours / c.requiredHours : null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.underCoverage.length === 0
        ? <p className="muted small">{t('wfm.fullyCovered')}</p>
        : (
          <>
            <h4>{t('wfm.underCoverage')}</h4>
            <ul className="small" data-testid="wfm-under-coverage">
              {r.underCoverage.slice(0, UNDER_SHOWN).map((u, i) => (
                <li key={i} className="text-danger">{t('wfm.underCoverageRow', { date: days[u.day]?.slice(5) ?? u.day, from: hhmm(u.fromMinute), to: hhmm(u.toMinute), skill: skillLabel(u.skill), covered: u.covered, required: u.required })}</li>
              ))}
              {r.underCoverage.length > UNDER_SHOWN && <li className="muted">{t('wfm.underCoverageMore', { n: r.underCoverage.length - UNDER_SHOWN })}</li>}
            </ul>
          </>
        )}
    </div>
  );
}

function GanttRow({ name, hours, bad, testId, children }: { name: string; hours: number; bad: boolean; testId: string; children: React.ReactNode }) {
  return (
    <>
      <div data-testid={testId} style={{ padding: 4, borderTop: '1px solid #f3f4f6', color: bad ? '#dc2626' : undefined, fontWeight: bad ? 600 : undefined }}>{name}</div>
      {children}
      <div style={{ padding: 4, borderLeft: '1px solid #e5e7eb', borderTop: '1px solid #f3f4f6' }} className="num">{hours.toFixed(1)}</div>
    </>
  );
}
