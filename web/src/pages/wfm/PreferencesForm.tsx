import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage } from '../../api/client.ts';
import type { AgentPreferences } from './types.ts';

type Draft = Pick<AgentPreferences, 'preferredShifts' | 'unwantedShifts' | 'preferredWeekdaysOff' | 'maxHoursPerWeek' | 'note'>;
const weekdays = [0, 1, 2, 3, 4, 5, 6];

/** 排班偏好: preferred and unwanted shifts (kinds such as happy-hour and family shifts, or templates), days off, hours. */
export function PreferencesForm({ agentId }: { agentId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const url = `/api/wfm/agents/${agentId}/preferences`;
  const prefs = useQuery({ queryKey: ['wfm', 'preferences', agentId], queryFn: () => api<AgentPreferences>(url) });
  const [draft, setDraft] = useState<Draft | null>(null);
  useEffect(() => {
    if (prefs.data) setDraft({ preferredShifts: prefs.data.preferredShifts, unwantedShifts: prefs.data.unwantedShifts, preferredWeekdaysOff: prefs.data.preferredWeekdaysOff, maxHoursPerWeek: prefs.data.maxHoursPerWeek, note: prefs.data.note });
  }, [prefs.data]);
  const save = useMutation({
    mutationFn: () => api<AgentPreferences>(url, { method: 'PUT', body: { version: prefs.data!.version, ...draft } }),
    onSuccess: (saved) => qc.setQueryData(['wfm', 'preferences', agentId], saved),
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const fieldError = (field: string) => err?.body.fields?.filter((f) => f.path === field || f.path.startsWith(`${field}.`) || f.path.startsWith(`body.${field}`)).map((f) => f.message).join('; ');
  if (prefs.isError) return <div className="alert alert-error">{errorMessage(prefs.error)}</div>;
  if (!prefs.data || !draft) return null;
  const choices = [...prefs.data.options.kinds.map((k) => ({ value: k, label: t(`wfm.shiftKind.${k}`) })), ...prefs.data.options.templates.map((x) => ({ value: x.name, label: x.name }))];
  const toggle = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const shiftChecks = (field: 'preferredShifts' | 'unwantedShifts') => (
    <fieldset className="field" data-testid={`wfm-pref-${field}`}>
      <legend className="field-label">{t(`wfm.prefs.${field}`)}</legend>
      {choices.map((c) => (
        <label key={c.value} className="check">
          <input type="checkbox" checked={draft[field].includes(c.value)} onChange={() => setDraft({ ...draft, [field]: toggle(draft[field], c.value) })} data-testid={`wfm-pref-${field}-${c.value}`} /> {c.label}
        </label>
      ))}
      {fieldError(field) && <div className="field-error" data-testid={`wfm-pref-error-${field}`}>{fieldError(field)}</div>}
    </fieldset>
  );
  return (
    <form className="card" data-testid="wfm-preferences" onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <h3>{t('wfm.prefs.title', { name: prefs.data.agentName })}</h3>
      <p className="muted small">{t('wfm.prefs.hint')}</p>
      {shiftChecks('preferredShifts')}
      {shiftChecks('unwantedShifts')}
      <fieldset className="field" data-testid="wfm-pref-preferredWeekdaysOff">
        <legend className="field-label">{t('wfm.prefs.preferredWeekdaysOff')}</legend>
        {weekdays.map((d) => (
          <label key={d} className="check">
            <input type="checkbox" checked={draft.preferredWeekdaysOff.includes(d)} onChange={() => setDraft({ ...draft, preferredWeekdaysOff: draft.preferredWeekdaysOff.includes(d) ? draft.preferredWeekdaysOff.filter((x) => x !== d) : [...draft.preferredWeekdaysOff, d] })} /> {t(`wfm.weekday.${d}`)}
          </label>
        ))}
        {fieldError('preferredWeekdaysOff') && <div className="field-error">{fieldError('preferredWeekdaysOff')}</div>}
      </fieldset>
      <label className="field"><span className="field-label">{t('wfm.prefs.maxHoursPerWeek')}</span>
        <input type="number" min={4} max={84} value={draft.maxHoursPerWeek ?? ''} onChange={(e) => setDraft({ ...draft, maxHoursPerWeek: e.target.value === '' ? null : Number(e.target.value) })} data-testid="wfm-pref-maxHours" />
        {fieldError('maxHoursPerWeek') && <span className="field-error">{fieldError('maxHoursPerWeek')}</span>}
      </label>
      <label className="field"><span className="field-label">{t('wfm.prefs.note')}</span>
        <input value={draft.note ?? ''} maxLength={500} onChange={(e) => setDraft({ ...draft, note: e.target.value || null })} /></label>
      {err?.status === 409 && <div className="alert alert-error" data-testid="wfm-pref-conflict">{t('wfm.prefs.conflict')} <button type="button" className="btn" onClick={() => { save.reset(); void prefs.refetch(); }}>{t('wfm.prefs.reload')}</button></div>}
      {err && err.status !== 409 && <div className="alert alert-error">{errorMessage(err)}</div>}
      {save.isSuccess && <div className="alert alert-success" data-testid="wfm-pref-saved">{t('wfm.prefs.saved')}</div>}
      <button className="btn btn-primary" type="submit" disabled={save.isPending} data-testid="wfm-pref-save">{t('wfm.prefs.save')}</button>
    </form>
  );
}
