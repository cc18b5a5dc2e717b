// 服务类型: the five built-in types (labels and callback delay editable) and the organization's own
// (create, edit, deactivate). The callback (回访) is due this long after resolution; empty: no callback.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import type { CreateServiceTypeInput, ServiceType, UpdateServiceTypeInput } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ActivePill, FieldErr, SaveError, changedFields, conflictVersion, intOrNull } from './adminKit.tsx';
import { formatMinutes } from './SlaPoliciesTab.tsx';

export function ServiceTypesTab() {
  const { t, i18n } = useTranslation();
  const types = useQuery({ queryKey: ['service-types', 'all'], queryFn: () => api<{ items: ServiceType[] }>('/api/service-types', { query: { includeInactive: 'true' } }) });
  const [editing, setEditing] = useState<ServiceType | 'new' | null>(null);
  return (
    <section className="card card-flush">
      <div className="toolbar">
        <span className="muted">{t('admin.types.hint')}</span>
        <span className="toolbar-spacer" />
        <button className="btn btn-primary" onClick={() => setEditing('new')} data-testid="type-new">
          {t('admin.types.new')}
        </button>
      </div>
      {types.isError && <div className="alert alert-error">{errorMessage(types.error)}</div>}
      {types.data && (
        <table className="table table-click">
          <thead>
            <tr>
              <th>{t('admin.types.key')}</th>
              <th>{t('admin.types.label')}</th>
              <th className="num">{t('admin.types.callbackDelay')}</th>
              <th>{t('admin.types.kind')}</th>
              <th>{t('admin.status')}</th>
            </tr>
          </thead>
          <tbody>
            {types.data.items.map((s) => (
              <tr key={s.key} data-testid="type-row" onClick={() => setEditing(s)}>
                <td className="mono">{s.key}</td>
                <td className="strong">{i18n.language === 'en' ? s.labelEn : s.labelZh}</td>
                <td className="num">{s.callbackDelayMinutes === null ? t('admin.types.noCallback') : formatMinutes(s.callbackDelayMinutes, t)}</td>
                <td className="muted">{s.builtin ? t('admin.types.builtin') : t('admin.types.custom')}</td>
                <td>
                  <ActivePill active={s.active} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <ServiceTypeDialog type={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </section>
  );
}

function ServiceTypeDialog({ type, onClose }: { type: ServiceType | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [key, setKey] = useState(type?.key ?? '');
  const [labelZh, setLabelZh] = useState(type?.labelZh ?? '');
  const [labelEn, setLabelEn] = useState(type?.labelEn ?? '');
  const [delay, setDelay] = useState(type?.callbackDelayMinutes === null || type?.callbackDelayMinutes === undefined ? '' : String(type.callbackDelayMinutes));
  const [active, setActive] = useState(type?.active ?? true);
  const [version, setVersion] = useState(type?.version ?? 0);
  const save = useMutation({
    mutationFn: () => {
      const fields = { labelZh: labelZh.trim(), labelEn: labelEn.trim(), callbackDelayMinutes: intOrNull(delay) };
      if (!type) return api<ServiceType>('/api/service-types', { method: 'POST', body: { key: key.trim(), ...fields } satisfies CreateServiceTypeInput });
      return api<ServiceType>(`/api/service-types/${encodeURIComponent(type.key)}`, {
        method: 'PATCH',
        body: { ...changedFields(fields, type), ...(!type.builtin && active !== type.active ? { active } : {}), version } satisfies UpdateServiceTypeInput,
      });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['service-types'] });
      onClose();
    },
    onError: async (e) => {
      const v = conflictVersion(e);
      if (v !== null) {
        setVersion(v);
        await queryClient.invalidateQueries({ queryKey: ['service-types'] });
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
      title={type ? `${t('admin.types.edit')} · ${type.key}` : t('admin.types.new')}
      onClose={onClose}
      footer={
        <>
          <button className="btn" type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn btn-primary" type="submit" form="type-form" disabled={save.isPending} data-testid="type-save">
            {save.isPending ? t('common.saving') : t('common.save')}
          </button>
        </>
      }
    >
      <form id="type-form" className="form-grid" onSubmit={submit}>
        <label className="field field-wide">
          <span className="field-label required">{t('admin.types.key')}</span>
          <input value={key} onChange={(e) => setKey(e.target.value)} disabled={Boolean(type)} placeholder="inspection" className="mono" data-testid="type-key" />
          <span className="hint muted">{t('admin.types.keyHint')}</span>
          <FieldErr error={err} field="key" />
        </label>
        <label className="field">
          <span className="field-label required">{t('admin.types.labelZh')}</span>
          <input value={labelZh} onChange={(e) => setLabelZh(e.target.value)} maxLength={40} data-testid="type-label-zh" />
          <FieldErr error={err} field="labelZh" />
        </label>
        <label className="field">
          <span className="field-label required">{t('admin.types.labelEn')}</span>
          <input value={labelEn} onChange={(e) => setLabelEn(e.target.value)} maxLength={60} data-testid="type-label-en" />
          <FieldErr error={err} field="labelEn" />
        </label>
        <label className="field field-wide">
          <span className="field-label">{t('admin.types.callbackDelayMinutes')}</span>
          <input type="number" value={delay} onChange={(e) => setDelay(e.target.value)} placeholder={t('admin.types.noCallback')} data-testid="type-delay" />
          <FieldErr error={err} field="callbackDelayMinutes" />
        </label>
        {type && !type.builtin && (
          <label className="check field-wide">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
            {t('admin.activeLabel')}
          </label>
        )}
      </form>
      <SaveError error={err} />
    </Dialog>
  );
}
