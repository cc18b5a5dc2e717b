// 我的话务 (my contact center): what an agent with only contact_center.read_own may see about themselves:
// their current state (and changing it), their own KPIs today and this week, and their shifts this week
// when WFM has a schedule for them. Everything comes from the existing APIs, which the server scopes to
// the agent's own record (another agent's figures are refused there, not hidden here). Days are the
// organization's (GET /calendar), not the browser's.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorMessage } from '../../api/client.ts';
import { useCan } from '../../auth.tsx';
import type { MySchedule } from '../wfm/types.ts';
import { CC, addDays, agentStateList, formatRate, formatSeconds, useOrgCalendar, type Agent, type AgentState, type Kpis, type KpiRow } from './ccApi.ts';

/** States an agent sets themselves (on call is the PBX's to report). */
const selfStates: AgentState[] = agentStateList.filter((s) => s !== 'on_call');

export function MyContactCenterPage() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const calendar = useOrgCalendar();
  const agents = useQuery({ queryKey: ['cc', 'agents', 'own'], queryFn: () => api<{ items: Agent[] }>(`${CC}/agents`) });
  const me = agents.data?.items.length === 1 ? agents.data.items[0] : undefined;
  const today = calendar.data?.today ?? '';
  const weekStart = calendar.data?.weekStart ?? '';
  const kpis = (key: string, from: string) => ({
    queryKey: ['cc', 'kpis', 'own', key, from, today, me?.id],
    // The server narrows an agent's request to their own agent; `agentId` says so explicitly. The
    // per-interval tables (the KPI job, every 5 minutes), not the raw calls: every agent opens this page.
    queryFn: () => api<Kpis>(`${CC}/kpis`, { query: { from, to: today, groupBy: 'day', agentId: me!.id } }),
    enabled: Boolean(me && from && today),
  });
  const todayKpis = useQuery(kpis('today', today));
  const weekKpis = useQuery(kpis('week', weekStart));
  const schedule = useQuery({
    queryKey: ['wfm', 'my-schedule', weekStart],
    queryFn: () => api<MySchedule>('/api/wfm/my-schedule', { query: { from: weekStart, to: addDays(weekStart, 7) } }),
    enabled: can('wfm.read_own') && Boolean(weekStart && me),
    retry: false,
  });
  const setState = useMutation({
    mutationFn: (state: AgentState) => api<Agent>(`${CC}/agents/${me!.id}/state`, { method: 'POST', body: { state } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['cc', 'agents'] }),
  });
  const tz = calendar.data?.timezone ?? 'Asia/Shanghai';
  const time = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: undefined, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  const error = agents.error ?? calendar.error ?? todayKpis.error ?? weekKpis.error ?? setState.error;
  const noSchedule = schedule.error instanceof ApiError && schedule.error.status === 404;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('cc.nav.mine')}</h1>
          <p className="page-sub muted">{me ? `${me.name} · ${me.extension}` : t('cc.my.subtitle')}</p>
        </div>
      </div>
      {error && <div className="alert alert-error">{errorMessage(error)}</div>}
      {agents.data && !me && <div className="empty" data-testid="my-cc-no-agent">{t('cc.my.noAgent')}</div>}
      {me && (
        <>
          <section className="card" data-testid="my-cc-state">
            <div className="card-head">
              <h2>{t('cc.my.state')}</h2>
              <span className="strong" data-testid="my-cc-current-state">{t(`cc.state.${me.state}`)}</span>
            </div>
            <div className="btn-row">
              {selfStates.map((s) => (
                <button key={s} type="button" className={me.state === s ? 'btn btn-primary' : 'btn'} disabled={setState.isPending || me.state === s}
                  onClick={() => setState.mutate(s)} data-testid={`my-cc-set-${s}`}>
                  {t(`cc.state.${s}`)}
                </button>
              ))}
            </div>
          </section>
          <section className="card">
            <div className="card-head"><h2>{t('cc.my.today')}</h2><span className="muted small">{today} · {t('cc.my.lag')}</span></div>
            <OwnStats row={todayKpis.data?.total} testId="my-cc-today" />
          </section>
          <section className="card">
            <div className="card-head"><h2>{t('cc.my.week')}</h2><span className="muted small">{weekStart} – {today}</span></div>
            <OwnStats row={weekKpis.data?.total} testId="my-cc-week" />
          </section>
          {can('wfm.read_own') && (
            <section className="card card-flush">
              <div className="card-head" style={{ padding: '12px 16px 0' }}>
                <h2>{t('cc.my.schedule')}</h2>
                <Link to="/my-schedule" className="small">{t('cc.my.swaps')}</Link>
              </div>
              {schedule.isError && !noSchedule && <div className="alert alert-error">{errorMessage(schedule.error)}</div>}
              {(noSchedule || (schedule.data && schedule.data.shifts.length === 0)) && <div className="empty">{t('cc.my.noSchedule')}</div>}
              {schedule.data && schedule.data.shifts.length > 0 && (
                <table className="table" data-testid="my-cc-shifts">
                  <thead><tr><th>{t('cc.my.shift')}</th><th>{t('cc.my.from')}</th><th>{t('cc.my.to')}</th></tr></thead>
                  <tbody>
                    {schedule.data.shifts.map((s) => (
                      <tr key={s.id}><td>{s.shiftId}</td><td className="mono">{time(s.startsAt)}</td><td className="mono">{time(s.endsAt)}</td></tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          )}
        </>
      )}
    </div>
  );
}

function OwnStats({ row, testId }: { row: KpiRow | undefined; testId: string }) {
  const { t } = useTranslation();
  if (!row) return <div className="empty">{t('common.loading')}</div>;
  const stats: [string, string, string][] = [
    ['offered', t('cc.kpi.offered'), String(row.offered)],
    ['answered', t('cc.kpi.answered'), String(row.answered)],
    ['answer-rate', t('cc.kpi.answerRate'), formatRate(row.answerRate)],
    ['aht', t('cc.kpi.aht'), formatSeconds(row.ahtSeconds)],
    ['occupancy', t('cc.kpi.occupancy'), formatRate(row.occupancy)],
    ['fcr', t('cc.kpi.fcr'), formatRate(row.fcrRate)],
    ['transfer-rate', t('cc.kpi.transferRate'), formatRate(row.transferRate)],
  ];
  return (
    <div className="stats" data-testid={testId}>
      {stats.map(([id, label, value]) => (
        <div className="stat" key={id}>
          <div className="stat-value" data-testid={`${testId}-${id}`}>{value}</div>
          <div className="stat-label">{label}</div>
        </div>
      ))}
    </div>
  );
}
