import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import { needGradeList, type NeedGrade, type Opportunity, type RecordNeedInput, type ServiceOrder } from '../../api/types.ts';
import { fieldError } from '../../components/fieldErrors.ts';

/** 记录潜在需求: what the staff member learned on this service order; it becomes a sales opportunity. */
export function NeedForm({ serviceOrder }: { serviceOrder: ServiceOrder }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [need, setNeed] = useState('');
  const [situation, setSituation] = useState('');
  const [grade, setGrade] = useState<NeedGrade>('B');
  const [category, setCategory] = useState('');
  const [value, setValue] = useState('');
  const [nextStep, setNextStep] = useState('');
  const [created, setCreated] = useState<Opportunity | null>(null);

  const record = useMutation({
    mutationFn: () => {
      const body: RecordNeedInput = {
        need: need.trim(),
        currentSituation: situation.trim(),
        grade,
        productCategory: category.trim() || null,
        expectedValueMinor: value.trim() ? Math.round(Number(value) * 100) : null,
        nextStep: nextStep.trim() || null,
      };
      return api<Opportunity>(`/api/service-orders/${encodeURIComponent(serviceOrder.id)}/needs`, { method: 'POST', body });
    },
    onSuccess: async (o) => {
      setCreated(o);
      setOpen(false);
      setNeed('');
      setSituation('');
      setCategory('');
      setValue('');
      setNextStep('');
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['opportunities'] }),
        queryClient.invalidateQueries({ queryKey: ['customer', serviceOrder.customerId, 'timeline'] }),
      ]);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (need.trim()) record.mutate();
  };
  const err = (f: string) => fieldError(record.error, f);

  return (
    <section className="card">
      <div className="card-head">
        <h2>{t('need.title')}</h2>
        {!open && (
          <button className="btn btn-sm" onClick={() => setOpen(true)} data-testid="need-open">
            {t('need.record')}
          </button>
        )}
      </div>
      {created && !open && (
        <div className="alert alert-success" data-testid="need-created">
          <div>
            {t('need.created', { owner: created.ownerName ?? created.ownerTeamName ?? t('service.unassigned') })}{' '}
            <Link to={`/opportunities?open=${created.id}`}>{t('need.viewOpportunity')}</Link>
          </div>
        </div>
      )}
      {!open && !created && <p className="hint">{t('need.hint')}</p>}
      {open && (
        <form className="form-stack" onSubmit={submit}>
          <label className="field">
            <span className="field-label required">{t('need.need')}</span>
            <textarea value={need} onChange={(e) => setNeed(e.target.value)} rows={2} maxLength={2000} autoFocus placeholder={t('need.needPlaceholder')} data-testid="need-text" />
            {err('need') && <span className="field-error">{err('need')}</span>}
          </label>
          <label className="field">
            <span className="field-label">{t('need.situation')}</span>
            <input value={situation} onChange={(e) => setSituation(e.target.value)} maxLength={2000} placeholder={t('need.situationPlaceholder')} />
          </label>
          <div className="form-row-2">
            <div className="field">
              <span className="field-label">{t('need.grade')}</span>
              <div className="segmented" role="radiogroup" aria-label={t('need.grade')}>
                {needGradeList.map((g) => (
                  <button key={g} type="button" role="radio" aria-checked={grade === g} className={grade === g ? 'active' : ''} onClick={() => setGrade(g)} title={t(`need.gradeHint.${g}`)}>
                    {g} · {t(`need.gradeShort.${g}`)}
                  </button>
                ))}
              </div>
            </div>
            <label className="field">
              <span className="field-label">{t('need.category')}</span>
              <input value={category} onChange={(e) => setCategory(e.target.value)} maxLength={100} />
            </label>
          </div>
          <div className="form-row-2">
            <label className="field">
              <span className="field-label">{t('need.expectedValue')}</span>
              <input value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" placeholder="¥" />
              {err('expectedValueMinor') && <span className="field-error">{err('expectedValueMinor')}</span>}
            </label>
            <label className="field">
              <span className="field-label">{t('need.nextStep')}</span>
              <input value={nextStep} onChange={(e) => setNextStep(e.target.value)} maxLength={500} />
            </label>
          </div>
          {record.isError && !err('need') && <div className="alert alert-error">{errorMessage(record.error)}</div>}
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={record.isPending || !need.trim()} data-testid="need-submit">
              {record.isPending ? t('common.saving') : t('need.submit')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
