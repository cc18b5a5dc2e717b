import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { useServiceTypes } from '../../api/lookups.ts';
import { newIdempotencyKey } from '../../api/idempotency.ts';
import { priorityList, rootCauseList, serviceChannelList, severityList, type CreateServiceOrderInput, type Priority, type ServiceOrder } from '../../api/types.ts';
import { useMe } from '../../auth.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { fieldError } from '../../components/fieldErrors.ts';

/** "New service order" from the customer file: type, priority, what happened; complaints add severity. */
export function CreateServiceOrderDialog({ customerId, customerName, onClose, onCreated }: { customerId: string; customerName: string; onClose: () => void; onCreated: (o: ServiceOrder) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const types = useServiceTypes();
  const [type, setType] = useState('repair');
  const [priority, setPriority] = useState<Priority>('normal');
  const [channel, setChannel] = useState<CreateServiceOrderInput['channel']>('phone');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState('');
  const [assignMe, setAssignMe] = useState(true);
  const [severity, setSeverity] = useState<NonNullable<CreateServiceOrderInput['severity']>>('medium');
  const [rootCause, setRootCause] = useState('');
  // One key per dialog: a double click or a retry after a timeout creates one order, not two.
  const idempotencyKey = useMemo(() => newIdempotencyKey(), []);

  const create = useMutation({
    mutationFn: () => {
      const body: CreateServiceOrderInput = {
        type,
        customerId,
        priority,
        channel,
        title: title.trim(),
        description: description.trim(),
        category: category.trim() || null,
        assigneeUserId: assignMe ? me.user.id : null,
        ...(type === 'complaint' ? { severity, rootCause: (rootCause || null) as CreateServiceOrderInput['rootCause'] } : {}),
      };
      return api<ServiceOrder>('/api/service-orders', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } });
    },
    onSuccess: async (o) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['service-orders'] }),
        queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'timeline'] }),
      ]);
      onCreated(o);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (title.trim()) create.mutate();
  };
  const err = (f: string) => fieldError(create.error, f);

  return (
    <Dialog
      title={`${t('service.create')} · ${customerName}`}
      onClose={onClose}
      footer={
        <>
          <button className="btn" type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn btn-primary" type="submit" form="create-service-order" disabled={create.isPending || !title.trim()} data-testid="service-create-submit">
            {create.isPending ? t('common.saving') : t('common.create')}
          </button>
        </>
      }
    >
      <form id="create-service-order" className="form-grid" onSubmit={submit}>
        <label className="field">
          <span className="field-label required">{t('service.type.label')}</span>
          <select value={type} onChange={(e) => setType(e.target.value)} data-testid="service-create-type">
            {types.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('service.priority.label')}</span>
          <select value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
            {priorityList.map((p) => (
              <option key={p} value={p}>
                {t(`service.priority.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-wide">
          <span className="field-label required">{t('service.title')}</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} autoFocus placeholder={t('service.titlePlaceholder')} data-testid="service-create-title" />
          {err('title') && <span className="field-error">{err('title')}</span>}
        </label>
        <label className="field field-wide">
          <span className="field-label">{t('service.description')}</span>
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={3} maxLength={10_000} />
        </label>
        <label className="field">
          <span className="field-label">{t('service.channel')}</span>
          <select value={channel} onChange={(e) => setChannel(e.target.value as CreateServiceOrderInput['channel'])}>
            {serviceChannelList.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`, { defaultValue: c })}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('service.category')}</span>
          <input value={category} onChange={(e) => setCategory(e.target.value)} maxLength={60} />
        </label>
        {type === 'complaint' && (
          <>
            <label className="field">
              <span className="field-label required">{t('service.severity.label')}</span>
              <select value={severity} onChange={(e) => setSeverity(e.target.value as typeof severity)}>
                {severityList.map((s) => (
                  <option key={s} value={s}>
                    {t(`service.severity.${s}`)}
                  </option>
                ))}
              </select>
              {err('severity') && <span className="field-error">{err('severity')}</span>}
            </label>
            <label className="field">
              <span className="field-label">{t('service.rootCause.label')}</span>
              <select value={rootCause} onChange={(e) => setRootCause(e.target.value)}>
                <option value="">—</option>
                {rootCauseList.map((s) => (
                  <option key={s} value={s}>
                    {t(`service.rootCause.${s}`)}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <label className="check field-wide">
          <input type="checkbox" checked={assignMe} onChange={(e) => setAssignMe(e.target.checked)} />
          {t('service.assignToMe')}
        </label>
      </form>
      {create.isError && !err('title') && <div className="alert alert-error">{errorMessage(create.error)}</div>}
    </Dialog>
  );
}
