import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { EChart, type EChartOption } from './EChart.tsx';
import { hhmmOf, pct, type Adherence, type AdherenceTimeline } from './types.ts';

const colors: Record<string, string> = {
  work: '#2563eb', break: '#f59e0b', available: '#16a34a', on_call: '#15803d', after_call_work: '#65a30d', offline: '#9ca3af',
};

/** 排班遵守率: adherence per agent and day; a row opens the day's schedule beside the agent's actual states. */
export function AdherencePanel({ rosterId }: { rosterId: string }) {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ['wfm', 'adherence', rosterId], queryFn: () => api<Adherence>(`/api/wfm/rosters/${rosterId}/adherence`) });
  const [pick, setPick] = useState<{ agentId: string; date: string } | null>(null);
  const timeline = useQuery({
    queryKey: ['wfm', 'adherence-timeline', rosterId, pick?.agentId, pick?.date], enabled: !!pick,
    queryFn: () => api<AdherenceTimeline>(`/api/wfm/rosters/${rosterId}/adherence/timeline`, { query: { agentId: pick!.agentId, date: pick!.date } }),
  });
  const items = list.data?.items ?? [];
  return (
    <div className="card" data-testid="wfm-adherence">
      <h3>{t('wfm.adherence.title')}</h3>
      {list.isError && <div className="alert alert-error">{errorMessage(list.error)}</div>}
      {items.length === 0 ? <div className="empty">{t('wfm.adherence.none')}</div> : (
        <table className="table" data-testid="wfm-adherence-table">
          <thead><tr><th>{t('wfm.agent')}</th><th>{t('wfm.day')}</th><th className="num">{t('wfm.adherence.scheduled')}</th><th className="num">{t('wfm.adherence.break')}</th><th className="num">{t('wfm.adherence.percent')}</th></tr></thead>
          <tbody>
            {items.map((x) => (
              <tr key={`${x.agentId}|${x.date}`} className={pick?.agentId === x.agentId && pick.date === x.date ? 'selected' : ''} style={{ cursor: 'pointer' }}
                onClick={() => setPick({ agentId: x.agentId, date: x.date })} data-testid="wfm-adherence-row">
                <td>{x.agentName}</td><td>{x.date}</td><td className="num">{(x.scheduledSeconds / 3600).toFixed(1)} h</td>
                <td className="num">{Math.round(x.scheduledBreakSeconds / 60)} min</td><td className="num">{pct(x.adherence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {timeline.data && <AdherenceChart d={timeline.data} />}
    </div>
  );
}

function AdherenceChart({ d }: { d: AdherenceTimeline }) {
  const { t } = useTranslation();
  const option = useMemo<EChartOption>(() => {
    const rowsY = [t('wfm.adherence.schedule'), t('wfm.adherence.actual')];
    const data = [
      ...d.schedule.map((s) => ({ value: [0, Date.parse(s.from), Date.parse(s.to), t(`wfm.adherence.activity.${s.activity}`)], itemStyle: { color: colors[s.activity] } })),
      ...d.states.map((s) => ({ value: [1, Date.parse(s.from), Date.parse(s.to), t(`cc.state.${s.state}`, { defaultValue: s.state })], itemStyle: { color: colors[s.state] ?? '#6b7280' } })),
    ];
    return {
      tooltip: { formatter: (p: unknown) => { const v = (p as { value: [number, number, number, string] }).value; return `${v[3]} ${hhmmOf(v[1])}–${hhmmOf(v[2])}`; } },
      grid: { left: 80, right: 16, top: 16, bottom: 30 },
      xAxis: { type: 'time', axisLabel: { formatter: (v: number) => hhmmOf(v) } },
      yAxis: { type: 'category', data: rowsY },
      series: [{
        type: 'custom', encode: { x: [1, 2], y: 0 }, data,
        renderItem: (params: unknown, api: unknown) => {
          const a = api as { value: (i: number) => number; coord: (p: [number, number]) => [number, number]; size: (p: [number, number]) => [number, number]; style: () => object };
          const start = a.coord([a.value(1), a.value(0)]);
          const end = a.coord([a.value(2), a.value(0)]);
          const h = a.size([0, 1])[1] * 0.6;
          return { type: 'rect', shape: { x: start[0], y: start[1] - h / 2, width: Math.max(1, end[0] - start[0]), height: h }, style: a.style() };
        },
      }],
    } as EChartOption;
  }, [d, t]);
  return (
    <div data-testid="wfm-adherence-detail">
      <div className="stats">
        <div className="stat"><div className="stat-label">{t('wfm.agent')}</div><div className="stat-value">{d.agentName} · {d.date}</div></div>
        <div className="stat"><div className="stat-label">{t('wfm.adherence.percent')}</div><div className="stat-value" data-testid="wfm-adherence-pct">{pct(d.adherence)}</div></div>
      </div>
      <EChart option={option} height={160} testId="wfm-adherence-chart" />
    </div>
  );
}
