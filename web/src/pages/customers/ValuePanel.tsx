// The customer file's value panel (客户价值): segment and service tier, RFM class and scores, CLV, P(alive),
// expected purchases, and how they were computed (model, parameters, fitted at). Loaded on its own, no charts.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import type { ValuePanel as ValuePanelData } from '../../../../src/analytics/value-panel.ts';
import { formatDate, formatDateTime, formatMoney } from '../../format.ts';
import './value-panel.css';
import { rfmClassLabel } from '../analytics/class-name.ts';

const pctText = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const params = (p: Record<string, number> | null) =>
  p ? Object.entries(p).map(([k, v]) => `${k} = ${Number.isInteger(v) ? v : v.toPrecision(4)}`).join(', ') : '—';

export function ValuePanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const value = useQuery({
    queryKey: ['customer', customerId, 'value'],
    queryFn: () => api<ValuePanelData>(`/api/customers/${encodeURIComponent(customerId)}/value`),
    retry: false,
  });
  const v = value.data;
  return (
    <section className="card" data-testid="value-panel">
      <div className="card-head">
        <h2>{t('analytics.valuePanel')}</h2>
        {v?.tier && (
          <span className="badge" data-testid="value-tier">
            {t('analytics.tier')}: {v.tier.name}
          </span>
        )}
      </div>
      {value.isPending && <div className="empty">{t('common.loading')}</div>}
      {value.isError && <div className="alert alert-error">{errorMessage(value.error)}</div>}
      {v && (
        <>
          <div className="spend-totals">
            <div className="stat">
              <div className="stat-value" data-testid="value-clv">{v.clv?.clvMinor == null ? '—' : formatMoney(v.clv.clvMinor, v.currency)}</div>
              <div className="stat-label">{t('analytics.clvLabel', { weeks: v.clv?.horizonWeeks ?? '—' })}</div>
            </div>
            <div className="stat">
              <div className="stat-value" data-testid="value-palive">{pctText(v.clv?.pAlive ?? null)}</div>
              <div className="stat-label">{t('analytics.pAlive')}</div>
            </div>
            <div className="stat">
              <div className="stat-value">{v.clv?.expectedPurchases == null ? '—' : v.clv.expectedPurchases.toFixed(2)}</div>
              <div className="stat-label">{t('analytics.expectedPurchases', { weeks: v.clv?.horizonWeeks ?? '—' })}</div>
            </div>
          </div>
          {v.excludedOrders > 0 && (
            <p className="muted small" data-testid="value-excluded">
              {t('analytics.valueExcluded', { count: v.excludedOrders, currency: v.currency })}
            </p>
          )}
          <dl className="value-kv">
            <dt>{t('analytics.rfmClassLabel')}</dt>
            <dd data-testid="value-rfm-class">
              {v.rfm ? (
                <Link to={`/customers?rfmClass=${v.rfm.rfmClass}`}>{rfmClassLabel(v.rfm.rfmClass, v.rfm.className)}</Link>
              ) : (
                <span className="muted">{t('analytics.unscored')}</span>
              )}
            </dd>
            {v.rfm && (
              <>
                <dt>{t('analytics.rfmScores')}</dt>
                <dd className="mono">
                  R {v.rfm.rScore} · F {v.rfm.fScore} · M {v.rfm.mScore}
                  <span className="muted">
                    {' '}
                    ({t('analytics.rfmRaw', { days: v.rfm.recencyDays, orders: v.rfm.frequency, spend: formatMoney(v.rfm.monetaryMinor, v.currency) })})
                  </span>
                </dd>
              </>
            )}
            <dt>{t('analytics.tier')}</dt>
            <dd>
              {v.tier ? (
                <>
                  <Link to={`/customers?tierId=${v.tier.id}`} className="strong">{v.tier.name}</Link> <span className="muted mono">{v.tier.code}</span>
                  <span className="muted"> · {t('analytics.routingPriority')} {v.tier.routingPriority}</span>
                  {v.tier.surveyCapDays !== null && <span className="muted"> · {t('analytics.surveyCapShort', { count: v.tier.surveyCapDays })}</span>}
                </>
              ) : (
                <span className="muted">{t('analytics.noTier')}</span>
              )}
            </dd>
            <dt>{t('analytics.segments')}</dt>
            <dd data-testid="value-segments">
              {v.segments.length === 0 && <span className="muted">—</span>}
              {v.segments.map((s) => (
                <Link key={s.id} to={`/customers?segmentId=${s.id}`} className="tag" title={`${t('analytics.enteredAt')} ${formatDateTime(s.enteredAt)}`}>
                  {s.name}
                </Link>
              ))}
            </dd>
          </dl>
          <details className="how-computed">
            <summary>{t('analytics.howComputed')}</summary>
            <dl className="value-kv small">
              {v.rfm && (
                <>
                  <dt>RFM</dt>
                  <dd>{t('analytics.rfmHow', { days: v.rfm.windowDays ?? '—', at: formatDateTime(v.rfm.computedAt) })}</dd>
                </>
              )}
              {v.clv && (
                <>
                  <dt>{t('analytics.model')}</dt>
                  <dd className="mono">
                    {v.clv.model ?? '—'} ({params(v.clv.params)}){v.clv.logLikelihood !== null && `, LL = ${v.clv.logLikelihood.toFixed(1)}`}
                  </dd>
                  <dt>Gamma-Gamma</dt>
                  <dd className="mono">{params(v.clv.spendParams)}</dd>
                  <dt>{t('analytics.clvSetup')}</dt>
                  <dd>
                    {t('analytics.clvSetupText', {
                      weeks: v.clv.horizonWeeks ?? '—',
                      rate: v.clv.annualDiscountRate === null ? '—' : `${(v.clv.annualDiscountRate * 100).toFixed(1)}%`,
                      calibrationEnd: formatDate(v.clv.calibrationEnd),
                    })}
                  </dd>
                  <dt>{t('analytics.fittedAt')}</dt>
                  <dd>{formatDateTime(v.clv.fittedAt)}</dd>
                </>
              )}
              {!v.rfm && !v.clv && <dd className="muted">{t('analytics.notComputed')}</dd>}
            </dl>
          </details>
        </>
      )}
    </section>
  );
}
