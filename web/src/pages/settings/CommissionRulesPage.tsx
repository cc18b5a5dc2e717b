// 提成规则与商机设置: commission rules (a percentage of the won line or a fixed amount, per product category,
// the most specific and highest priority wins) and the pipeline settings (the fallback sales team, follow-up
// days per need grade). commission.manage.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import type { CommissionRule, CommissionRuleInput, PipelineSettings, PipelineSettingsInput, UpdateCommissionRuleInput } from '../../api/types.ts';
import { formatMoney } from '../../format.ts';
import { ActivePill, EnumSelect, TeamSelect } from './adminKit.tsx';
import { ActiveCheck, Field, RecordDialog, RecordList, SettingsForm, patchBody, useEditing, useRecordEditor, useSettingsForm, type Column } from './RecordEditor.tsx';

/** Basis points as the percent people type (150 ⇄ "1.5"). */
const bpToPercent = (bp: number | null) => (bp === null ? '' : String(bp / 100));
const percentToBp = (s: string) => (s.trim() === '' ? null : Math.round(Number(s) * 100));
/** Minor units as yuan typed (12345 ⇄ "123.45"). */
const minorToText = (m: number | null) => (m === null ? '' : (m / 100).toFixed(2));
const textToMinor = (s: string) => (s.trim() === '' ? null : Math.round(Number(s) * 100));

export function CommissionRulesPage() {
  const { t } = useTranslation();
  const rules = useQuery({ queryKey: ['commission-rules'], queryFn: () => api<{ items: CommissionRule[] }>('/api/commission-rules') });
  const editing = useEditing<CommissionRule>();
  const columns: Column<CommissionRule>[] = [
    { header: t('admin.name'), className: 'strong', cell: (r) => r.name },
    { header: t('commRules.category'), cell: (r) => r.productCategory ?? t('commRules.anyCategory') },
    { header: t('commRules.kind'), cell: (r) => t(`commRules.kinds.${r.kind}`) },
    { header: t('commRules.amount'), num: true, cell: (r) => (r.kind === 'percent' ? `${bpToPercent(r.basisPoints)}%` : formatMoney(r.fixedMinor ?? 0, r.currency ?? 'CNY')) },
    { header: t('commRules.priority'), num: true, cell: (r) => r.priority },
    { header: t('admin.status'), cell: (r) => <ActivePill active={r.active} /> },
  ];
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.commissionRules')}</h1>
          <p className="page-sub muted">{t('commRules.hint')}</p>
        </div>
        <div className="page-actions">
          <button className="btn btn-primary" onClick={() => editing.edit('new')} data-testid="crule-new">
            {t('commRules.new')}
          </button>
        </div>
      </div>
      <RecordList query={rules} columns={columns} rowKey={(r) => r.id} rowTestId="crule-row" onOpen={editing.edit} empty={t('commRules.empty')} />
      <PipelineSettingsCard />
      {editing.open && <CommissionRuleDialog rule={editing.record} onClose={editing.close} />}
    </div>
  );
}

const ruleKinds = ['percent', 'fixed'] as const;

interface RuleDraft {
  name: string;
  category: string;
  kind: (typeof ruleKinds)[number];
  percent: string;
  fixed: string;
  currency: string;
  priority: string;
  active: boolean;
}

const ruleDraft = (r: CommissionRule | null): RuleDraft => ({
  name: r?.name ?? '',
  category: r?.productCategory ?? '',
  kind: r?.kind ?? 'percent',
  percent: bpToPercent(r?.basisPoints ?? null),
  fixed: minorToText(r?.fixedMinor ?? null),
  currency: r?.currency ?? 'CNY',
  priority: String(r?.priority ?? 0),
  active: r?.active ?? true,
});

/** The whole rule; an edit sends only what differs from the rule as opened (see patchBody). */
const ruleBody = (d: RuleDraft): CommissionRuleInput => ({
  name: d.name.trim(),
  productCategory: d.category.trim() || null,
  kind: d.kind,
  basisPoints: d.kind === 'percent' ? percentToBp(d.percent) : null,
  fixedMinor: d.kind === 'fixed' ? textToMinor(d.fixed) : null,
  currency: d.kind === 'fixed' ? d.currency.trim() || null : null,
  priority: Number(d.priority),
  active: d.active,
});

function CommissionRuleDialog({ rule, onClose }: { rule: CommissionRule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const editor = useRecordEditor({
    record: rule,
    draft: ruleDraft,
    create: (d) => api<CommissionRule>('/api/commission-rules', { method: 'POST', body: ruleBody(d) }),
    // Like the other rules: after a 409 the next save keeps what the other person changed in other fields, as
    // the conflict message promises (the whole rule used to be sent, overwriting them).
    update: (r, d, version) => {
      const { active, ...fields } = ruleBody(d);
      return api<CommissionRule>(`/api/commission-rules/${r.id}`, { method: 'PATCH', body: patchBody(fields, r, version, active) satisfies UpdateCommissionRuleInput });
    },
    queryKey: ['commission-rules'],
    onClose,
  });
  const { draft: d, set, text } = editor;
  return (
    <RecordDialog id="crule" title={rule ? `${t('commRules.edit')} · ${rule.name}` : t('commRules.new')} editor={editor} canSave={Boolean(d.name.trim())} onClose={onClose}>
      <Field label={t('admin.name')} name="name" required wide>
        <input {...text('name')} maxLength={100} autoFocus data-testid="crule-name" />
      </Field>
      <Field label={t('commRules.category')} name="productCategory">
        <input {...text('category')} placeholder={t('commRules.anyCategory')} maxLength={100} />
      </Field>
      <Field label={t('commRules.kind')}>
        <EnumSelect value={d.kind} options={ruleKinds} label={(k) => t(`commRules.kinds.${k}`)} onChange={(v) => set('kind', v)} testId="crule-kind" />
      </Field>
      {d.kind === 'percent' ? (
        <Field label={t('commRules.percent')} name="basisPoints" required>
          <input type="number" step="0.01" {...text('percent')} data-testid="crule-percent" />
        </Field>
      ) : (
        <>
          <Field label={t('commRules.fixed')} name="fixedMinor" required>
            <input type="number" step="0.01" {...text('fixed')} />
          </Field>
          <Field label={t('commRules.currency')} name="currency" required>
            <input {...text('currency')} maxLength={3} />
          </Field>
        </>
      )}
      <Field label={t('commRules.priority')} name="priority">
        <input type="number" {...text('priority')} />
      </Field>
      <ActiveCheck {...editor.check('active')} />
    </RecordDialog>
  );
}

interface PipelineDraft {
  team: string;
  A: string;
  B: string;
  C: string;
}

function PipelineSettingsCard() {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: ['opportunity-settings'], queryFn: () => api<PipelineSettings>('/api/opportunity-settings') });
  const form = useSettingsForm({
    query: settings,
    queryKey: ['opportunity-settings'],
    empty: { team: '', A: '', B: '', C: '' } satisfies PipelineDraft,
    draft: (s): PipelineDraft => ({ team: s.defaultTeamId ?? '', A: String(s.followUpDays.A), B: String(s.followUpDays.B), C: String(s.followUpDays.C) }),
    version: (s) => s.version,
    save: (d, version) =>
      api<PipelineSettings>('/api/opportunity-settings', {
        method: 'PUT',
        body: { version, defaultTeamId: d.team || null, followUpDays: { A: Number(d.A), B: Number(d.B), C: Number(d.C) } } satisfies PipelineSettingsInput,
      }),
  });
  return (
    <section className="card">
      <div className="card-head">
        <h2>{t('commRules.pipeline')}</h2>
      </div>
      {settings.isError && <div className="alert alert-error">{errorMessage(settings.error)}</div>}
      <SettingsForm form={form} className="form-grid-4" saveTestId="pipeline-save" canSave={Boolean(settings.data)}>
        <Field label={t('commRules.defaultTeam')} name="defaultTeamId">
          <TeamSelect {...form.text('team')} />
        </Field>
        {(['A', 'B', 'C'] as const).map((g) => (
          <Field key={g} label={t('commRules.followUpDays', { grade: g })} name={`followUpDays.${g}`}>
            <input type="number" {...form.text(g)} data-testid={`pipeline-days-${g}`} />
          </Field>
        ))}
      </SettingsForm>
    </section>
  );
}
