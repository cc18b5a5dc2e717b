// 服务台设置: the complaints specialists' team (high-severity complaints escalate to it) and the callback rules
// (attempts before giving up, minutes between attempts, grace before a callback counts as overdue).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import type { ServiceSettings, ServiceSettingsInput } from '../../api/types.ts';
import { TeamSelect } from './adminKit.tsx';
import { Field, SettingsForm, useSettingsForm } from './RecordEditor.tsx';

interface DeskDraft {
  team: string;
  attempts: string;
  retry: string;
  grace: string;
}

export function DeskSettingsTab() {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: ['service-settings'], queryFn: () => api<ServiceSettings>('/api/service-settings') });
  const form = useSettingsForm({
    query: settings,
    queryKey: ['service-settings'],
    empty: { team: '', attempts: '', retry: '', grace: '' } satisfies DeskDraft,
    draft: (s): DeskDraft => ({ team: s.complaintTeamId ?? '', attempts: String(s.callbackMaxAttempts), retry: String(s.callbackRetryMinutes), grace: String(s.callbackGraceMinutes) }),
    save: (d) =>
      api<ServiceSettings>('/api/service-settings', {
        method: 'PUT',
        body: { complaintTeamId: d.team || null, callbackMaxAttempts: Number(d.attempts), callbackRetryMinutes: Number(d.retry), callbackGraceMinutes: Number(d.grace) } satisfies ServiceSettingsInput,
      }),
  });
  const { text } = form;
  if (settings.isError) return <div className="alert alert-error">{errorMessage(settings.error)}</div>;
  if (!settings.data) return <div className="empty">{t('common.loading')}</div>;
  return (
    <section className="card page-narrow">
      <SettingsForm form={form} saveTestId="desk-save">
        <Field label={t('admin.desk.complaintTeam')} name="complaintTeamId" hint={t('admin.desk.complaintTeamHint')} wide>
          <TeamSelect {...text('team')} testId="desk-team" />
        </Field>
        <Field label={t('admin.desk.attempts')} name="callbackMaxAttempts">
          <input type="number" {...text('attempts')} data-testid="desk-attempts" />
        </Field>
        <Field label={t('admin.desk.retryMinutes')} name="callbackRetryMinutes">
          <input type="number" {...text('retry')} />
        </Field>
        <Field label={t('admin.desk.graceMinutes')} name="callbackGraceMinutes">
          <input type="number" {...text('grace')} />
        </Field>
      </SettingsForm>
    </section>
  );
}
