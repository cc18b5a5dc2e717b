// 服务类型: the five built-in types (labels and callback delay editable) and the organization's own
// (create, edit, deactivate). The callback (回访) is due this long after resolution; empty: no callback.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { CreateServiceTypeInput, ServiceType, UpdateServiceTypeInput } from '../../api/types.ts';
import { ActivePill, intOrNull } from './adminKit.tsx';
import { ActiveCheck, Field, ListToolbar, RecordDialog, RecordList, patchBody, useEditing, useRecordEditor, type Column } from './RecordEditor.tsx';
import { formatMinutes } from './SlaPoliciesTab.tsx';

export function ServiceTypesTab() {
  const { t, i18n } = useTranslation();
  const types = useQuery({ queryKey: ['service-types', 'all'], queryFn: () => api<{ items: ServiceType[] }>('/api/service-types', { query: { includeInactive: 'true' } }) });
  const editing = useEditing<ServiceType>();
  const columns: Column<ServiceType>[] = [
    { header: t('admin.types.key'), className: 'mono', cell: (s) => s.key },
    { header: t('admin.types.label'), className: 'strong', cell: (s) => (i18n.language === 'en' ? s.labelEn : s.labelZh) },
    { header: t('admin.types.callbackDelay'), num: true, cell: (s) => (s.callbackDelayMinutes === null ? t('admin.types.noCallback') : formatMinutes(s.callbackDelayMinutes, t)) },
    { header: t('admin.types.kind'), className: 'muted', cell: (s) => (s.builtin ? t('admin.types.builtin') : t('admin.types.custom')) },
    { header: t('admin.status'), cell: (s) => <ActivePill active={s.active} /> },
  ];
  return (
    <>
      <RecordList
        query={types}
        columns={columns}
        rowKey={(s) => s.key}
        rowTestId="type-row"
        onOpen={editing.edit}
        toolbar={<ListToolbar hint={t('admin.types.hint')} newLabel={t('admin.types.new')} newTestId="type-new" onNew={() => editing.edit('new')} />}
      />
      {editing.open && <ServiceTypeDialog type={editing.record} onClose={editing.close} />}
    </>
  );
}

interface TypeDraft {
  key: string;
  labelZh: string;
  labelEn: string;
  delay: string;
  active: boolean;
}

const typeDraft = (s: ServiceType | null): TypeDraft => ({
  key: s?.key ?? '',
  labelZh: s?.labelZh ?? '',
  labelEn: s?.labelEn ?? '',
  delay: s?.callbackDelayMinutes === null || s?.callbackDelayMinutes === undefined ? '' : String(s.callbackDelayMinutes),
  active: s?.active ?? true,
});

const typeFields = (d: TypeDraft) => ({ labelZh: d.labelZh.trim(), labelEn: d.labelEn.trim(), callbackDelayMinutes: intOrNull(d.delay) });

function ServiceTypeDialog({ type, onClose }: { type: ServiceType | null; onClose: () => void }) {
  const { t } = useTranslation();
  const editor = useRecordEditor({
    record: type,
    draft: typeDraft,
    create: (d) => api<ServiceType>('/api/service-types', { method: 'POST', body: { key: d.key.trim(), ...typeFields(d) } satisfies CreateServiceTypeInput }),
    // A built-in type is always active: its switch is not shown and never sent.
    update: (s, d, version) =>
      api<ServiceType>(`/api/service-types/${encodeURIComponent(s.key)}`, { method: 'PATCH', body: patchBody(typeFields(d), s, version, s.builtin ? undefined : d.active) satisfies UpdateServiceTypeInput }),
    // Both the full list here and the active types the other screens use.
    queryKey: ['service-types'],
    onClose,
  });
  const { text } = editor;
  return (
    <RecordDialog id="type" title={type ? `${t('admin.types.edit')} · ${type.key}` : t('admin.types.new')} editor={editor} onClose={onClose}>
      <Field label={t('admin.types.key')} name="key" hint={t('admin.types.keyHint')} required wide>
        <input {...text('key')} disabled={Boolean(type)} placeholder="inspection" className="mono" data-testid="type-key" />
      </Field>
      <Field label={t('admin.types.labelZh')} name="labelZh" required>
        <input {...text('labelZh')} maxLength={40} data-testid="type-label-zh" />
      </Field>
      <Field label={t('admin.types.labelEn')} name="labelEn" required>
        <input {...text('labelEn')} maxLength={60} data-testid="type-label-en" />
      </Field>
      <Field label={t('admin.types.callbackDelayMinutes')} name="callbackDelayMinutes" wide>
        <input type="number" {...text('delay')} placeholder={t('admin.types.noCallback')} data-testid="type-delay" />
      </Field>
      {type && !type.builtin && <ActiveCheck {...editor.check('active')} />}
    </RecordDialog>
  );
}
