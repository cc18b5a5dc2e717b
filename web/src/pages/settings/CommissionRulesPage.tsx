// 提成规则与商机设置: commission rules (a percentage of the won line or a fixed amount, per product category,
// the most specific and highest priority wins) and the pipeline settings (the fallback sales team, follow-up
// days per need grade). commission.manage.
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import type { CommissionRule, CommissionRuleInput, PipelineSettings, PipelineSettingsInput, UpdateCommissionRuleInput } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { formatMoney } from '../../format.ts';
import { ActivePill, FieldErr, SaveError, conflictVersion, useTeams } from './adminKit.tsx';

/** Basis points as the percent people type (150 ⇄ "1.5"). */
const bpToPercent = (bp: number | null) => (bp === null ? '' : String(bp / 100));
const percentToBp = (s: string) => (s.trim() === '' ? null : Math.round(Number(s) * 100));
/** Minor units as yuan typed (12345 ⇄ "123.45"). */
const minorToText = (m: number | null) => (m === null ? '' : (m / 100).toFixed(2));
const textToMinor = (s: string) => (s.trim() === '' ? null : Math.round(Number(s) * 100));

export function CommissionRulesPage() {
  const { t } = useTranslation();
  const rules = useQuery({ queryKey: ['commission-rules'], queryFn: () => api<{ items: CommissionRule[] }>('/api/commission-rules') });
  const [editing, setEditing] = useState<CommissionRule | 'new' | null>(null);
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.commissionRules')}</h1>
          <p className="page-sub muted">{t('commRules.hint')}</p>
        </div>
        <div className="page-actions">
          <button className="btn btn-primary" onClick={() => setEditing('new')} data-testid="crule-new">
            {t('commRules.new')}
          </button>
        </div>
      </div>
      <section className="card card-flush">
        {rules.isError && <div className="alert alert-error">{errorMessage(rules.error)}</div>}
        {rules.data && !rules.data.items.length && <div className="empty">{t('commRules.empty')}</div>}
        {rules.data && rules.data.items.length > 0 && (
          <table className="table table-click">
            <thead>
              <tr>
                <th>{t('admin.name')}</th>
                <th>{t('commRules.category')}</th>
                <th>{t('commRules.kind')}</th>
                <th className="num">{t('commRules.amount')}</th>
                <th className="num">{t('commRules.priority')}</th>
                <th>{t('admin.status')}</th>
              </tr>
            </thead>
            <tbody>
              {rules.data.items.map((r) => (
                <tr key={r.id} data-testid="crule-row" onClick={() => setEditing(r)}>
                  <td className="strong">{r.name}</td>
                  <td>{r.productCategory ?? t('commRules.anyCategory')}</td>
                  <td>{t(`commRules.kinds.${r.kind}`)}</td>
                  <td className="num">{r.kind === 'percent' ? `${bpToPercent(r.basisPoints)}%` : formatMoney(r.fixedMinor ?? 0, r.currency ?? 'CNY')}</td>
                  <td className="num">{r.priority}</td>
                  <td>
                    <ActivePill active={r.active} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <PipelineSettingsCard />
      {editing && <CommissionRuleDialog rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function CommissionRuleDialog({ rule, onClose }: { rule: CommissionRule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(rule?.name ?? '');
  const [category, setCategory] = useState(rule?.productCategory ?? '');
  const [kind, setKind] = useState<'percent' | 'fixed'>(rule?.kind ?? 'percent');
  const [percent, setPercent] = useState(bpToPercent(rule?.basisPoints ?? null));
  const [fixed, setFixed] = useState(minorToText(rule?.fixedMinor ?? null));
  const [currency, setCurrency] = useState(rule?.currency ?? 'CNY');
  const [priority, setPriority] = useState(String(rule?.priority ?? 0));
  const [active, setActive] = useState(rule?.active ?? true);
  const [version, setVersion] = useState(rule?.version ?? 1);
  const save = useMutation({
    mutationFn: () => {
      const fields = {
        name: name.trim(),
        productCategory: category.trim() || null,
        kind,
        basisPoints: kind === 'percent' ? percentToBp(percent) : null,
        fixedMinor: kind === 'fixed' ? textToMinor(fixed) : null,
        currency: kind === 'fixed' ? currency.trim() || null : null,
        priority: Number(priority),
        active,
      };
      if (!rule) return api<CommissionRule>('/api/commission-rules', { method: 'POST', body: fields satisfies CommissionRuleInput });
      return api<CommissionRule>(`/api/commission-rules/${rule.id}`, { method: 'PATCH', body: { ...fields, version } satisfies UpdateCommissionRuleInput });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['commission-rules'] });
      onClose();
    },
    onError: async (e) => {
      const v = conflictVersion(e);
      if (v !== null) {
        setVersion(v);
        await queryClient.invalidateQueries({ queryKey: ['commission-rules'] });
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const err = save.error;
  return (
    <Dialog
      title={rule ? `${t('commRules.edit')} · ${rule.name}` : t('commRules.new')}
      onClose={onClose}
      footer={
        <>
          <button className="btn" type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn btn-primary" type="submit" form="crule-form" disabled={save.isPending || !name.trim()} data-testid="crule-save">
            {save.isPending ? t('common.saving') : t('common.save')}
          </button>
        </>
      }
    >
      <form id="crule-form" className="form-grid" onSubmit={submit}>
        <label className="field field-wide">
          <span className="field-label required">{t('admin.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus data-testid="crule-name" />
          <FieldErr error={err} field="name" />
        </label>
        <label className="field">
          <span className="field-label">{t('commRules.category')}</span>
          <input value={category} onChange={(e) => setCategory(e.target.value)} placeholder={t('commRules.anyCategory')} maxLength={100} />
          <FieldErr error={err} field="productCategory" />
        </label>
        <label className="field">
          <span className="field-label">{t('commRules.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as 'percent' | 'fixed')} data-testid="crule-kind">
            <option value="percent">{t('commRules.kinds.percent')}</option>
            <option value="fixed">{t('commRules.kinds.fixed')}</option>
          </select>
        </label>
        {kind === 'percent' ? (
          <label className="field">
            <span className="field-label required">{t('commRules.percent')}</span>
            <input type="number" step="0.01" value={percent} onChange={(e) => setPercent(e.target.value)} data-testid="crule-percent" />
            <FieldErr error={err} field="basisPoints" />
          </label>
        ) : (
          <>
            <label className="field">
              <span className="field-label required">{t('commRules.fixed')}</span>
              <input type="number" step="0.01" value={fixed} onChange={(e) => setFixed(e.target.value)} />
              <FieldErr error={err} field="fixedMinor" />
            </label>
            <label className="field">
              <span className="field-label required">{t('commRules.currency')}</span>
              <input value={currency} onChange={(e) => setCurrency(e.target.value)} maxLength={3} />
              <FieldErr error={err} field="currency" />
            </label>
          </>
        )}
        <label className="field">
          <span className="field-label">{t('commRules.priority')}</span>
          <input type="number" value={priority} onChange={(e) => setPriority(e.target.value)} />
          <FieldErr error={err} field="priority" />
        </label>
        <label className="check field-wide">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
          {t('admin.activeLabel')}
        </label>
      </form>
      <SaveError error={err} />
    </Dialog>
  );
}

function PipelineSettingsCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['opportunity-settings'], queryFn: () => api<PipelineSettings>('/api/opportunity-settings') });
  const teams = useTeams();
  const [team, setTeam] = useState('');
  const [days, setDays] = useState({ A: '', B: '', C: '' });
  const [version, setVersion] = useState(0);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!settings.data) return;
    setTeam(settings.data.defaultTeamId ?? '');
    setDays({ A: String(settings.data.followUpDays.A), B: String(settings.data.followUpDays.B), C: String(settings.data.followUpDays.C) });
    setVersion(settings.data.version);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () =>
      api<PipelineSettings>('/api/opportunity-settings', {
        method: 'PUT',
        body: { version, defaultTeamId: team || null, followUpDays: { A: Number(days.A), B: Number(days.B), C: Number(days.C) } } satisfies PipelineSettingsInput,
      }),
    onMutate: () => setSaved(false),
    onSuccess: (s) => {
      queryClient.setQueryData(['opportunity-settings'], s);
      setSaved(true);
    },
    onError: (e) => {
      const v = conflictVersion(e);
      if (v !== null) setVersion(v);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const err = save.error;
  return (
    <section className="card">
      <div className="card-head">
        <h2>{t('commRules.pipeline')}</h2>
      </div>
      {settings.isError && <div className="alert alert-error">{errorMessage(settings.error)}</div>}
      <form className="form-grid form-grid-4" onSubmit={submit}>
        <label className="field">
          <span className="field-label">{t('commRules.defaultTeam')}</span>
          <select value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">—</option>
            {teams.data?.items.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
          <FieldErr error={err} field="defaultTeamId" />
        </label>
        {(['A', 'B', 'C'] as const).map((g) => (
          <label key={g} className="field">
            <span className="field-label">{t('commRules.followUpDays', { grade: g })}</span>
            <input type="number" value={days[g]} onChange={(e) => setDays((d) => ({ ...d, [g]: e.target.value }))} data-testid={`pipeline-days-${g}`} />
            <FieldErr error={err} field={`followUpDays.${g}`} />
          </label>
        ))}
        <div className="form-actions field-wide">
          <button className="btn btn-primary" type="submit" disabled={save.isPending || !settings.data} data-testid="pipeline-save">
            {save.isPending ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
      {saved && <div className="alert alert-success">{t('admin.saved')}</div>}
      <SaveError error={err} />
    </section>
  );
}
