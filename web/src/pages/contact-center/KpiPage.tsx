// Contact center KPI dashboards (呼叫中心指标): intraday service level and ASA per interval, answer rate
// (接通率) by day, and the agent league table (answered, AHT, occupancy, FCR, transfer rate). Figures come
// from the server's SQL (GET /kpis); the page only draws them. Filters live in the URL. The league counts
// the calls presented to each agent (ring with no answer, transfer-ins), so its answer rate is the agent's.
import { useMemo, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import { useCan } from '../../auth.tsx';
import { Icon } from '../../components/Icon.tsx';
import { CC, addDays, formatRate, formatSeconds, minutesOfDay, useOrgCalendar, useQueues, useTeams, type KpiRow, type Kpis } from './ccApi.ts';
import { EChart as Chart, type ChartOption } from '../../components/EChart.tsx';

const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);

type Source = 'aggregate' | 'raw';
type LeagueKey = 'label' | 'offered' | 'answered' | 'answerRate' | 'ahtSeconds' | 'occupancy' | 'fcrRate' | 'transferRate';

export function KpiPage() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  // Days are the organization's (the server resolves YYYY-MM-DD in its time zone), whatever the browser's.
  const calendar = useOrgCalendar();
  const today = calendar.data?.today ?? '';
  const from = params.get('from') ?? (today && addDays(today, -6));
  const to = params.get('to') ?? today;
  const day = params.get('day') ?? to;
  const queueId = params.get('queue') ?? '';
  const teamId = params.get('team') ?? '';
  const interval = Number(params.get('interval') ?? 30);
  const source: Source = params.get('source') === 'raw' ? 'raw' : 'aggregate';
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const queues = useQueues();
  const teams = useTeams();

  // The queue filter applies to the queue figures; the team filter to the agent figures (the server
  // counts teams and agents by the calls presented to agents, not by queue, so the two cannot be combined).
  const scope: Record<string, string> = queueId ? { queueId } : teamId ? { teamId } : {};
  const kpis = (key: string, query: Record<string, string | number>) =>
    ({
      queryKey: ['cc', 'kpis', key, query],
      queryFn: () => api<Kpis>(`${CC}/kpis`, { query }),
      placeholderData: keepPreviousData,
      enabled: Boolean(from && to && day),
    }) as const;
  // `from`/`to` are days: the server takes them in the organization's time zone, `to` inclusive.
  const intraday = useQuery(kpis('intraday', { from: day, to: day, groupBy: 'interval', intervalMinutes: interval, source, ...scope }));
  const daily = useQuery(kpis('daily', { from, to, groupBy: 'day', source, ...scope }));
  const league = useQuery(kpis('league', { from, to, groupBy: 'agent', source, ...(teamId ? { teamId } : {}) }));
  const byQueue = useQuery(kpis('queue', { from, to, groupBy: 'queue', source }));

  const recompute = useMutation({
    mutationFn: () => api(`${CC}/kpis/aggregate`, { method: 'POST', body: { from: from < day ? from : day, to: to > day ? to : day } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['cc', 'kpis'] }),
  });

  const intradayOption = useMemo<ChartOption>(() => {
    // Every interval of the organization's day on the axis, empty where no call was offered; placed and
    // labelled by the local time of day in the organization's time zone (not the browser's).
    const tz = intraday.data?.timezone ?? calendar.data?.timezone ?? 'Asia/Shanghai';
    const slots = Math.round(1440 / interval);
    const rows: (KpiRow | null)[] = Array.from({ length: slots }, () => null);
    for (const r of intraday.data?.rows ?? []) {
      const i = r.key ? Math.floor(minutesOfDay(r.key, tz) / interval) : -1;
      if (i >= 0 && i < slots) rows[i] = r;
    }
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    const labels = rows.map((_, i) => hhmm(i * interval));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('cc.kpi.serviceLevel'), t('cc.kpi.asa'), t('cc.kpi.offered')] },
      grid: { left: 50, right: 60, top: 50, bottom: 30 },
      xAxis: { type: 'category', data: labels },
      yAxis: [
        { type: 'value', name: '%', min: 0, max: 100 },
        { type: 'value', name: t('cc.kpi.secondsUnit') },
      ],
      series: [
        { name: t('cc.kpi.offered'), type: 'bar', yAxisIndex: 1, data: rows.map((r) => r?.offered ?? 0), itemStyle: { color: '#d9e1ff' } },
        { name: t('cc.kpi.asa'), type: 'line', yAxisIndex: 1, data: rows.map((r) => (r?.asaSeconds == null ? null : Math.round(r.asaSeconds * 10) / 10)), itemStyle: { color: '#fa8c16' }, connectNulls: false },
        { name: t('cc.kpi.serviceLevel'), type: 'line', yAxisIndex: 0, data: rows.map((r) => (r ? pct(r.serviceLevel) : null)), itemStyle: { color: '#2f54eb' }, lineStyle: { width: 3 } },
      ],
    };
  }, [intraday.data, calendar.data, interval, t]);

  const dailyOption = useMemo<ChartOption>(() => {
    // Every day of the range on the axis.
    const found = new Map((daily.data?.rows ?? []).map((r) => [r.key ?? '', r]));
    const days: string[] = [];
    for (let d = from; from && d <= to && days.length < 400; d = addDays(d, 1)) days.push(d);
    const rows = days.map((d) => found.get(d) ?? null);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('cc.kpi.answerRate'), t('cc.kpi.serviceLevel'), t('cc.kpi.offered')] },
      grid: { left: 50, right: 60, top: 50, bottom: 30 },
      xAxis: { type: 'category', data: days },
      yAxis: [
        { type: 'value', name: '%', min: 0, max: 100 },
        { type: 'value', name: t('cc.kpi.callsUnit') },
      ],
      series: [
        { name: t('cc.kpi.answerRate'), type: 'bar', yAxisIndex: 0, data: rows.map((r) => (r ? pct(r.answerRate) : null)), itemStyle: { color: '#52c41a' }, barMaxWidth: 48 },
        { name: t('cc.kpi.serviceLevel'), type: 'line', yAxisIndex: 0, data: rows.map((r) => (r ? pct(r.serviceLevel) : null)), itemStyle: { color: '#2f54eb' } },
        { name: t('cc.kpi.offered'), type: 'line', yAxisIndex: 1, data: rows.map((r) => r?.offered ?? 0), itemStyle: { color: '#86909c' }, lineStyle: { type: 'dashed' } },
      ],
    };
  }, [daily.data, from, to, t]);

  const total = daily.data?.total;
  const error = intraday.error ?? daily.error ?? league.error ?? byQueue.error;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('cc.nav.kpis')}</h1>
          <p className="page-sub muted">{t('cc.kpi.subtitle')}</p>
        </div>
        {can('contact_center.manage') && (
          <div className="page-actions">
            <button className="btn" onClick={() => recompute.mutate()} disabled={recompute.isPending} title={t('cc.kpi.recomputeHint')} data-testid="kpi-recompute">
              <Icon name="refresh" />
              {t('cc.kpi.recompute')}
            </button>
          </div>
        )}
      </div>
      <div className="toolbar">
        <label className="field">
          <span className="field-label">{t('cc.kpi.queue')}</span>
          <select value={queueId} onChange={(e) => set('queue', e.target.value)} data-testid="kpi-queue">
            <option value="">{t('cc.kpi.allQueues')}</option>
            {queues.data?.items.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('cc.kpi.team')}</span>
          <select value={teamId} onChange={(e) => set('team', e.target.value)} data-testid="kpi-team">
            <option value="">{t('cc.kpi.allTeams')}</option>
            {teams.data?.items.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('cc.kpi.from')}</span>
          <input type="date" value={from} max={to} onChange={(e) => set('from', e.target.value)} data-testid="kpi-from" />
        </label>
        <label className="field">
          <span className="field-label">{t('cc.kpi.to')}</span>
          <input type="date" value={to} min={from} onChange={(e) => set('to', e.target.value)} data-testid="kpi-to" />
        </label>
        <label className="field">
          <span className="field-label">{t('cc.kpi.source')}</span>
          <select value={source} onChange={(e) => set('source', e.target.value === 'raw' ? 'raw' : '')} data-testid="kpi-source">
            <option value="aggregate">{t('cc.kpi.sourceAggregate')}</option>
            <option value="raw">{t('cc.kpi.sourceRaw')}</option>
          </select>
        </label>
      </div>
      {queueId && teamId && <div className="alert alert-info">{t('cc.kpi.queueAndTeam')}</div>}
      {error && <div className="alert alert-error">{errorMessage(error)}</div>}
      {recompute.isError && <div className="alert alert-error">{errorMessage(recompute.error)}</div>}

      {total && (
        <div className="stats" data-testid="kpi-totals">
          <Stat label={t('cc.kpi.offered')} value={String(total.offered)} testId="kpi-offered" />
          <Stat label={t('cc.kpi.answered')} value={String(total.answered)} testId="kpi-answered" />
          <Stat label={t('cc.kpi.answerRate')} value={formatRate(total.answerRate)} testId="kpi-answer-rate" />
          <Stat label={t('cc.kpi.serviceLevel')} value={formatRate(total.serviceLevel)} testId="kpi-service-level" />
          <Stat label={t('cc.kpi.asa')} value={formatSeconds(total.asaSeconds)} testId="kpi-asa" />
          <Stat label={t('cc.kpi.aht')} value={formatSeconds(total.ahtSeconds)} testId="kpi-aht" />
          <Stat label={t('cc.kpi.abandonRate')} value={formatRate(total.abandonRate)} />
          <Stat label={t('cc.kpi.occupancy')} value={formatRate(total.occupancy)} />
        </div>
      )}

      <section className="card">
        <div className="card-head">
          <h2>{t('cc.kpi.intraday')}</h2>
          <span className="btn-row">
            <input type="date" value={day} onChange={(e) => set('day', e.target.value)} aria-label={t('cc.kpi.day')} data-testid="kpi-day" />
            <span className="segmented" role="radiogroup" aria-label={t('cc.kpi.interval')}>
              {[15, 30, 60].map((m) => (
                <button key={m} type="button" className={interval === m ? 'active' : ''} onClick={() => set('interval', String(m))}>
                  {t('cc.kpi.minutes', { n: m })}
                </button>
              ))}
            </span>
          </span>
        </div>
        <Chart option={intradayOption} testId="kpi-intraday-chart" />
      </section>

      <section className="card">
        <div className="card-head">
          <h2>{t('cc.kpi.byDay')}</h2>
        </div>
        <Chart option={dailyOption} height={260} testId="kpi-daily-chart" />
      </section>

      <section className="card card-flush">
        <div className="card-head" style={{ padding: '12px 16px 0' }}>
          <h2>{t('cc.kpi.byQueue')}</h2>
        </div>
        <KpiTable rows={byQueue.data?.rows ?? []} kind="queue" />
      </section>

      <section className="card card-flush">
        <div className="card-head" style={{ padding: '12px 16px 0' }}>
          <h2>{t('cc.kpi.league')}</h2>
          <span className="muted small">{t('cc.kpi.leagueHint')}</span>
        </div>
        <League rows={league.data?.rows ?? []} />
      </section>
    </div>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="stat">
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

function KpiTable({ rows, kind }: { rows: KpiRow[]; kind: 'queue' }) {
  const { t } = useTranslation();
  if (!rows.length) return <div className="empty">{t('cc.kpi.noCalls')}</div>;
  return (
    <table className="table" data-testid={`kpi-table-${kind}`}>
      <thead>
        <tr>
          <th>{t('cc.kpi.queue')}</th>
          <th className="num">{t('cc.kpi.offered')}</th>
          <th className="num">{t('cc.kpi.answered')}</th>
          <th className="num">{t('cc.kpi.abandoned')}</th>
          <th className="num">{t('cc.kpi.answerRate')}</th>
          <th className="num">{t('cc.kpi.serviceLevel')}</th>
          <th className="num">{t('cc.kpi.asa')}</th>
          <th className="num">{t('cc.kpi.aht')}</th>
          <th className="num">{t('cc.kpi.transferRate')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key ?? 'none'} data-testid="kpi-queue-row">
            <td className="strong">{r.label ?? t('cc.none')}</td>
            <td className="num">{r.offered}</td>
            <td className="num">{r.answered}</td>
            <td className="num">{r.abandoned}</td>
            <td className="num">{formatRate(r.answerRate)}</td>
            <td className="num">{formatRate(r.serviceLevel)}</td>
            <td className="num">{formatSeconds(r.asaSeconds)}</td>
            <td className="num">{formatSeconds(r.ahtSeconds)}</td>
            <td className="num">{formatRate(r.transferRate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Agents ranked by a column of choice (answered calls by default); click a header to rank by it. */
function League({ rows }: { rows: KpiRow[] }) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<{ key: LeagueKey; desc: boolean }>({ key: 'answered', desc: true });
  const sorted = useMemo(() => {
    const v = (r: KpiRow): number | string | null => (sort.key === 'label' ? r.label ?? '' : r[sort.key]);
    return [...rows].sort((a, b) => {
      const x = v(a);
      const y = v(b);
      if (x === null && y === null) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      const c = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y;
      return sort.desc ? -c : c;
    });
  }, [rows, sort]);
  if (!rows.length) return <div className="empty">{t('cc.kpi.noCalls')}</div>;
  const head = (key: LeagueKey, label: string, num = true) => (
    <th className={num ? 'num' : undefined} style={{ cursor: 'pointer' }} onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'label' }))} aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      {label}
      {sort.key === key ? (sort.desc ? ' ↓' : ' ↑') : ''}
    </th>
  );
  return (
    <table className="table" data-testid="kpi-league">
      <thead>
        <tr>
          <th style={{ width: 48 }}>#</th>
          {head('label', t('cc.kpi.agent'), false)}
          {head('offered', t('cc.kpi.offered'))}
          {head('answered', t('cc.kpi.answered'))}
          {head('answerRate', t('cc.kpi.answerRate'))}
          {head('ahtSeconds', t('cc.kpi.aht'))}
          {head('occupancy', t('cc.kpi.occupancy'))}
          {head('fcrRate', t('cc.kpi.fcr'))}
          {head('transferRate', t('cc.kpi.transferRate'))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((r, i) => (
          <tr key={r.key ?? i} data-testid="kpi-league-row">
            <td className="mono muted">{i + 1}</td>
            <td className="strong">{r.label ?? t('cc.none')}</td>
            <td className="num" data-testid="league-offered">{r.offered}</td>
            <td className="num" data-testid="league-answered">{r.answered}</td>
            <td className="num" data-testid="league-answer-rate">{formatRate(r.answerRate)}</td>
            <td className="num" data-testid="league-aht">{formatSeconds(r.ahtSeconds)}</td>
            <td className="num">{formatRate(r.occupancy)}</td>
            <td className="num">{formatRate(r.fcrRate)}</td>
            <td className="num">{formatRate(r.transferRate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
