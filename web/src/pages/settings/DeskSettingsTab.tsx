// 服务台设置: the complaints specialists' team (high-severity complaints escalate to it) and the callback rules
// (attempts before giving up, minutes between attempts, grace before a callback counts as overdue).
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import type { ServiceSettings, ServiceSettingsInput } from '../../api/types.ts';
import { FieldErr, SaveError, useTeams } from './adminKit.tsx';

export function DeskSettingsTab() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['service-settings'], queryFn: () => api<ServiceSettings>('/api/service-settings') });
  const teams = useTeams();
  const [team, setTeam] = useState('');
  const [attempts, setAttempts] = useState('');
  const [retry, setRetry] = useState('');
  const [grace, setGrace] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!settings.data) return;
    setTeam(settings.data.complaintTeamId ?? '');
    setAttempts(String(settings.data.callbackMaxAttempts));
    setRetry(String(settings.data.callbackRetryMinutes));
    setGrace(String(settings.data.callbackGraceMinutes));
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () =>
      api<ServiceSettings>('/api/service-settings', {
        method: 'PUT',
        body: { complaintTeamId: team || null, callbackMaxAttempts: Number(attempts), callbackRetryMinutes: Number(retry), callbackGraceMinutes: Number(grace) } satisfies ServiceSettingsInput,
      }),
    onSuccess: async (s) => {
      queryClient.setQueryData(['service-settings'], s);
      setSaved(true);
    },
    onMutate: () => setSaved(false),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const err = save.error;
  if (settings.isError) return <div className="alert alert-error">{errorMessage(settings.error)}</div>;
  if (!settings.data) return <div className="empty">{t('common.loading')}</div>;
  return (
    <section className="card page-narrow">
      <form className="form-grid" onSubmit={submit}>
        <label className="field field-wide">
          <span className="field-label">{t('admin.desk.complaintTeam')}</span>
          <select value={team} onChange={(e) => setTeam(e.target.value)} data-testid="desk-team">
            <option value="">—</option>
            {teams.data?.items.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
          <span className="hint muted">{t('admin.desk.complaintTeamHint')}</span>
          <FieldErr error={err} field="complaintTeamId" />
        </label>
        <label className="field">
          <span className="field-label">{t('admin.desk.attempts')}</span>
          <input type="number" value={attempts} onChange={(e) => setAttempts(e.target.value)} data-testid="desk-attempts" />
          <FieldErr error={err} field="callbackMaxAttempts" />
        </label>
        <label className="field">
          <span className="field-label">{t('admin.desk.retryMinutes')}</span>
          <input type="number" value={retry} onChange={(e) => setRetry(e.target.value)} />
          <FieldErr error={err} field="callbackRetryMinutes" />
        </label>
        <label className="field">
          <span className="field-label">{t('admin.desk.graceMinutes')}</span>
          <input type="number" value={grace} onChange={(e) => setGrace(e.target.value)} />
          <FieldErr error={err} field="callbackGraceMinutes" />
        </label>
        <div className="form-actions field-wide">
          <button className="btn btn-primary" type="submit" disabled={save.isPending} data-testid="desk-save">
            {save.isPending ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
      {saved && <div className="alert alert-success">{t('admin.saved')}</div>}
      <SaveError error={err} />
    </section>
  );
}
