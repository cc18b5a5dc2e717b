// Segment editor: rules over the whitelisted measures and customer fields, with a live member count and preview,
// save, materialize and membership history. Members drill down to the customer list.
import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError, errorMessage } from '../../api/client.ts';
import { useRegions } from '../../api/regions.ts';
import { useCan } from '../../auth.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useDebounced } from '../../components/useDebounced.ts';
import { formatDateTime, formatMoney, formatNumber } from '../../format.ts';
import { currencyOf, drillHref, type RuleField, type Segment, type SegmentHistory, type SegmentPreview } from './api.ts';
import { pct } from './format.ts';
import { fromRule, isListOp, isUnary, newCondition, rfmClassCodes, ruleFieldDefs, ruleFieldList, toRule, type Condition, type FlatRule } from './rules.ts';

interface Draft {
  id: string | null;
  version: number;
  name: string;
  description: string;
  priority: string;
  active: boolean;
  flat: FlatRule | null;
  json: string;
}

const blank = (): Draft => ({ id: null, version: 0, name: '', description: '', priority: '0', active: true, flat: { combinator: 'all', conditions: [newCondition()] }, json: '' });
const fromSegment = (s: Segment): Draft => {
  const flat = fromRule(s.rule);
  return { id: s.id, version: s.version, name: s.name, description: s.description ?? '', priority: String(s.priority), active: s.active, flat, json: JSON.stringify(s.rule, null, 2) };
};

function draftRule(d: Draft): unknown {
  if (d.flat) return toRule(d.flat);
  try {
    return JSON.parse(d.json) as unknown;
  } catch {
    return null;
  }
}

export function SegmentsView() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const segments = useQuery({ queryKey: ['analytics', 'segments'], queryFn: () => api<{ items: Segment[] }>('/api/analytics/segments') });
  const selectedId = params.get('segment');
  const [draft, setDraft] = useState<Draft>(blank);

  useEffect(() => {
    const s = segments.data?.items.find((x) => x.id === selectedId);
    setDraft(s ? fromSegment(s) : blank());
  }, [selectedId, segments.data]);

  const select = (id: string | null) => setParams(id ? { segment: id } : {}, { replace: true });
  const items = segments.data?.items ?? [];

  return (
    <div className="segments-layout">
      <section className="card analytics-card segment-list">
        <div className="card-head">
          <h2>{t('analytics.segmentsTitle')}</h2>
          {can('analytics.manage') && (
            <button className="btn btn-sm btn-primary" onClick={() => select(null)} data-testid="segment-new">
              <Icon name="plus" />
              {t('analytics.newSegment')}
            </button>
          )}
        </div>
        {segments.isError && <div className="alert alert-error">{errorMessage(segments.error)}</div>}
        {items.length === 0 && segments.data && <div className="empty">{t('analytics.noSegments')}</div>}
        <ul className="seg-items">
          {items.map((s) => (
            <li key={s.id} className={s.id === selectedId ? 'seg-item active' : 'seg-item'} onClick={() => select(s.id)} data-testid="segment-item">
              <div className="seg-item-name">
                <span className="strong">{s.name}</span>
                {!s.active && <span className="badge">{t('analytics.inactive')}</span>}
              </div>
              <div className="muted small">
                {t('analytics.members', { count: s.memberCount })} · {t('analytics.priority')} {s.priority}
              </div>
            </li>
          ))}
        </ul>
      </section>
      <SegmentEditor key={draft.id ?? 'new'} draft={draft} setDraft={setDraft} onSaved={(s) => select(s.id)} onDeleted={() => select(null)} />
    </div>
  );
}

function SegmentEditor({ draft, setDraft, onSaved, onDeleted }: { draft: Draft; setDraft: (f: (d: Draft) => Draft) => void; onSaved: (s: Segment) => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const manage = can('analytics.manage');
  const rule = draftRule(draft);
  const ruleKey = JSON.stringify(rule);
  const debouncedRule = useDebounced(ruleKey, 350);

  const preview = useQuery({
    queryKey: ['analytics', 'segment-preview', debouncedRule],
    queryFn: () => api<SegmentPreview>('/api/analytics/segments/preview', { method: 'POST', body: { rule: JSON.parse(debouncedRule) as unknown, limit: 10 } }),
    enabled: debouncedRule !== 'null',
    retry: false,
    placeholderData: (p) => p,
  });

  const save = useMutation({
    mutationFn: () => {
      const body = { name: draft.name, description: draft.description || null, rule, priority: Number(draft.priority) || 0, active: draft.active };
      return draft.id
        ? api<Segment>(`/api/analytics/segments/${draft.id}`, { method: 'PATCH', body: { ...body, version: draft.version } })
        : api<Segment>('/api/analytics/segments', { method: 'POST', body });
    },
    onSuccess: async (s) => {
      await queryClient.invalidateQueries({ queryKey: ['analytics', 'segments'] });
      onSaved(s);
    },
  });
  const materialize = useMutation({
    mutationFn: () => api<{ results: { members: number; entered: number; left: number }[] }>('/api/analytics/segments/materialize', { method: 'POST', body: { segmentId: draft.id, wait: true } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['analytics'] }),
  });
  const remove = useMutation({
    mutationFn: () => api(`/api/analytics/segments/${draft.id}`, { method: 'DELETE', query: { version: draft.version } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['analytics', 'segments'] });
      onDeleted();
    },
  });
  const history = useQuery({
    queryKey: ['analytics', 'segment-history', draft.id],
    queryFn: () => api<SegmentHistory>(`/api/analytics/segments/${draft.id}/history`, { query: { limit: 30 } }),
    enabled: Boolean(draft.id),
  });

  const ruleErrors = (e: unknown): string[] => (e instanceof ApiError && e.body.fields ? e.body.fields.map((f) => `${f.path}: ${f.message}`) : e ? [errorMessage(e)] : []);
  const setFlat = (f: (flat: FlatRule) => FlatRule) => setDraft((d) => (d.flat ? { ...d, flat: f(d.flat) } : d));
  const setCond = (key: number, patch: Partial<Condition>) => setFlat((fl) => ({ ...fl, conditions: fl.conditions.map((c) => (c.key === key ? { ...c, ...patch } : c)) }));

  return (
    <section className="card analytics-card segment-editor" data-testid="segment-editor">
      <div className="card-head">
        <h2>{draft.id ? draft.name : t('analytics.newSegment')}</h2>
        {draft.id && (
          <Link to={drillHref({ segmentId: draft.id })} className="btn btn-ghost btn-sm">
            {t('analytics.viewMembers')}
          </Link>
        )}
      </div>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">{t('analytics.segmentName')}</span>
          <input value={draft.name} onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))} disabled={!manage} data-testid="segment-name" />
        </label>
        <label className="field">
          <span className="field-label">{t('analytics.priority')}</span>
          <input type="number" value={draft.priority} onChange={(e) => setDraft((d) => ({ ...d, priority: e.target.value }))} disabled={!manage} title={t('analytics.priorityHint')} />
        </label>
        <label className="field field-wide">
          <span className="field-label">{t('analytics.description')}</span>
          <input value={draft.description} onChange={(e) => setDraft((d) => ({ ...d, description: e.target.value }))} disabled={!manage} />
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.active} onChange={(e) => setDraft((d) => ({ ...d, active: e.target.checked }))} disabled={!manage} />
          {t('analytics.active_')}
        </label>
      </div>

      <h3 className="subhead">{t('analytics.rule')}</h3>
      {draft.flat ? (
        <div className="rule-builder">
          <div className="rule-combinator">
            <select value={draft.flat.combinator} onChange={(e) => setFlat((f) => ({ ...f, combinator: e.target.value as 'all' | 'any' }))} disabled={!manage} aria-label={t('analytics.combinator')}>
              <option value="all">{t('analytics.matchAll')}</option>
              <option value="any">{t('analytics.matchAny')}</option>
            </select>
          </div>
          {draft.flat.conditions.map((c) => (
            <ConditionRow key={c.key} c={c} disabled={!manage} onChange={(p) => setCond(c.key, p)} onRemove={() => setFlat((f) => ({ ...f, conditions: f.conditions.filter((x) => x.key !== c.key) }))} />
          ))}
          {manage && (
            <div className="btn-row">
              <button className="btn btn-sm" onClick={() => setFlat((f) => ({ ...f, conditions: [...f.conditions, newCondition('provinceCode')] }))} data-testid="rule-add">
                <Icon name="plus" />
                {t('analytics.addCondition')}
              </button>
              <button className="btn btn-sm btn-ghost" onClick={() => setDraft((d) => ({ ...d, json: JSON.stringify(rule, null, 2), flat: null }))}>
                {t('analytics.editJson')}
              </button>
            </div>
          )}
        </div>
      ) : (
        <div className="rule-json">
          <textarea rows={8} className="mono" value={draft.json} onChange={(e) => setDraft((d) => ({ ...d, json: e.target.value }))} disabled={!manage} aria-label={t('analytics.rule')} />
          {manage && (
            <button
              className="btn btn-sm btn-ghost"
              onClick={() => {
                const flat = fromRule(rule);
                if (flat) setDraft((d) => ({ ...d, flat }));
              }}
              disabled={!fromRule(rule)}
              title={t('analytics.builderHint')}
            >
              {t('analytics.useBuilder')}
            </button>
          )}
          {rule === null && <div className="field-error">{t('analytics.badJson')}</div>}
        </div>
      )}

      <div className="preview-box" data-testid="segment-preview">
        <div className="preview-count">
          <span className="stat-value" data-testid="segment-preview-count">{preview.data ? formatNumber(preview.data.count) : '—'}</span>
          <span className="muted">{preview.isFetching ? t('common.loading') : t('analytics.liveCount')}</span>
        </div>
        {preview.isError && ruleErrors(preview.error).map((m) => <div key={m} className="field-error">{m}</div>)}
        {preview.data && preview.data.sample.length > 0 && (
          <table className="table table-click">
            <thead>
              <tr>
                <th>{t('customer.name')}</th>
                <th>{t('analytics.rfmClassLabel')}</th>
                <th className="num">{t('analytics.spend')}</th>
                <th className="num">CLV</th>
                <th className="num">P(alive)</th>
              </tr>
            </thead>
            <tbody>
              {preview.data.sample.map((r) => (
                <tr key={r.id} onClick={() => navigate(`/customers/${r.id}`)}>
                  <td className="cell-clip">{r.name}</td>
                  <td>{r.rfmClass ? t(`analytics.rfmClass.${r.rfmClass}`) : <span className="muted">{t('analytics.unscored')}</span>}</td>
                  <td className="num">{r.monetaryMinor === null ? '—' : formatMoney(r.monetaryMinor, currencyOf(preview.data))}</td>
                  <td className="num">{r.clvMinor === null ? '—' : formatMoney(r.clvMinor, currencyOf(preview.data))}</td>
                  <td className="num">{pct(r.pAlive)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      {save.isError && (
        <div className="alert alert-error">
          {errorMessage(save.error)}
          {ruleErrors(save.error).length > 1 && (
            <ul>
              {ruleErrors(save.error).map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {materialize.isError && <div className="alert alert-error">{errorMessage(materialize.error)}</div>}
      {remove.isError && <div className="alert alert-error">{errorMessage(remove.error)}</div>}
      {materialize.data?.results[0] && (
        <div className="alert alert-success">
          {t('analytics.materialized', { members: materialize.data.results[0].members, entered: materialize.data.results[0].entered, left: materialize.data.results[0].left })}
        </div>
      )}
      {manage && (
        <div className="form-actions">
          {draft.id && (
            <button className="btn btn-ghost text-danger" onClick={() => window.confirm(t('analytics.confirmDelete')) && remove.mutate()} disabled={remove.isPending}>
              {t('analytics.delete')}
            </button>
          )}
          <div className="grow" />
          {draft.id && (
            <button className="btn" onClick={() => materialize.mutate()} disabled={materialize.isPending} data-testid="segment-materialize">
              <Icon name="refresh" />
              {materialize.isPending ? t('analytics.materializing') : t('analytics.materialize')}
            </button>
          )}
          <button className="btn btn-primary" onClick={() => save.mutate()} disabled={save.isPending || !draft.name.trim() || rule === null} data-testid="segment-save">
            {save.isPending ? t('common.saving') : t('common.save')}
          </button>
        </div>
      )}

      {draft.id && (
        <>
          <h3 className="subhead">{t('analytics.history')}</h3>
          {history.data && history.data.items.length === 0 && <div className="empty compact">{t('analytics.noHistory')}</div>}
          {history.data && history.data.items.length > 0 && (
            <table className="table table-click">
              <tbody>
                {history.data.items.map((h) => (
                  <tr key={`${h.customerId}-${h.at}-${h.kind}`} onClick={() => navigate(`/customers/${h.customerId}`)}>
                    <td className="mono muted" style={{ width: 150 }}>{formatDateTime(h.at)}</td>
                    <td style={{ width: 80 }}>
                      <span className={h.kind === 'entered' ? 'badge badge-in' : 'badge badge-warn'}>{t(`analytics.historyKind.${h.kind}`)}</span>
                    </td>
                    <td className="cell-clip">{h.customerName}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function ConditionRow({ c, disabled, onChange, onRemove }: { c: Condition; disabled: boolean; onChange: (p: Partial<Condition>) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const regions = useRegions();
  const def = ruleFieldDefs[c.field];
  const ops: readonly string[] = def.ops;
  const list = isListOp(c.op);
  const valueInput = useMemo(() => {
    if (isUnary(c.op)) return null;
    if (def.kind === 'class' && !list)
      return (
        <select value={c.text} onChange={(e) => onChange({ text: e.target.value })} disabled={disabled} aria-label={t('analytics.value')} data-testid="rule-value">
          {rfmClassCodes.map((k) => (
            <option key={k} value={k}>
              {t(`analytics.rfmClass.${k}`)}
            </option>
          ))}
        </select>
      );
    if (def.kind === 'province' && !list)
      return (
        <select value={c.text} onChange={(e) => onChange({ text: e.target.value })} disabled={disabled} aria-label={t('analytics.value')}>
          <option value="">—</option>
          {regions.data?.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </select>
      );
    if (def.kind === 'kind' && !list)
      return (
        <select value={c.text} onChange={(e) => onChange({ text: e.target.value })} disabled={disabled} aria-label={t('analytics.value')}>
          <option value="">—</option>
          <option value="person">{t('customer.kind.person')}</option>
          <option value="company">{t('customer.kind.company')}</option>
        </select>
      );
    const numeric = !list && ['score', 'int', 'money', 'number', 'probability'].includes(def.kind);
    return (
      <input
        value={c.text}
        type={numeric ? 'number' : 'text'}
        step={def.kind === 'probability' ? 0.05 : def.kind === 'money' ? 0.01 : 1}
        onChange={(e) => onChange({ text: e.target.value })}
        disabled={disabled}
        placeholder={t(`analytics.valueHint.${list ? 'list' : def.kind}`)}
        aria-label={t('analytics.value')}
      />
    );
  }, [c, def, list, disabled, onChange, regions.data, t]);

  return (
    <div className="rule-row" data-testid="rule-row">
      <select
        value={c.field}
        onChange={(e) => {
          const field = e.target.value as RuleField;
          onChange({ field, op: ruleFieldDefs[field].ops[0], text: field === 'rfmClass' ? 'important_value' : '' });
        }}
        disabled={disabled}
        aria-label={t('analytics.field')}
        data-testid="rule-field"
      >
        {ruleFieldList.map((f) => (
          <option key={f} value={f}>
            {t(`analytics.field_.${f}`)}
          </option>
        ))}
      </select>
      <select value={c.op} onChange={(e) => onChange({ op: e.target.value })} disabled={disabled} aria-label={t('analytics.operator')} data-testid="rule-op">
        {ops.map((o) => (
          <option key={o} value={o}>
            {t(`analytics.op.${o}`)}
          </option>
        ))}
      </select>
      {valueInput}
      {!disabled && (
        <button className="btn btn-icon btn-ghost" onClick={onRemove} aria-label={t('analytics.removeCondition')}>
          <Icon name="x" />
        </button>
      )}
    </div>
  );
}
