// SLA 策略: list, create, edit, (de)activate. Rule fields: types, priorities, customer tags, tier, rank;
// targets in minutes; business hours (a business calendar) or 24x7.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useServiceTypes } from '../../api/lookups.ts';
import { priorityList, type BusinessCalendar, type CreateSlaPolicyInput, type Priority, type SlaPolicy, type UpdateSlaPolicyInput } from '../../api/types.ts';
import { splitList } from '../../components/fieldErrors.ts';
import { ActivePill, CheckGroup, EnumSelect, RefSelect } from './adminKit.tsx';
import { ActiveCheck, Field, ListToolbar, RecordDialog, RecordList, patchBody, useEditing, useRecordEditor, type Column } from './RecordEditor.tsx';

export function useCalendars() {
  return useQuery({ queryKey: ['business-calendars'], queryFn: () => api<{ items: BusinessCalendar[] }>('/api/settings/business-calendars'), retry: false });
}

export function useSlaPolicies() {
  return useQuery({ queryKey: ['sla-policies'], queryFn: () => api<{ items: SlaPolicy[] }>('/api/sla-policies') });
}

export function formatMinutes(m: number, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (m % 1440 === 0) return t('admin.days', { n: m / 1440 });
  if (m % 60 === 0) return t('admin.hours', { n: m / 60 });
  return t('admin.minutes', { n: m });
}

export function SlaPoliciesTab() {
  const { t } = useTranslation();
  const policies = useSlaPolicies();
  const types = useServiceTypes();
  const calendars = useCalendars();
  const editing = useEditing<SlaPolicy>();
  const typeLabel = (k: string) => types.find((x) => x.key === k)?.label ?? k;
  const calName = (id: string | null) => (id ? (calendars.data?.items.find((c) => c.id === id)?.name ?? id.slice(-6)) : t('admin.sla.defaultCalendar'));
  const appliesTo = (p: SlaPolicy) =>
    [
      p.types?.length ? p.types.map(typeLabel).join('、') : null,
      p.priorities?.length ? p.priorities.map((x) => t(`service.priority.${x}`)).join('、') : null,
      p.tags?.length ? p.tags.map((x) => `#${x}`).join(' ') : null,
      p.tier ? `${t('admin.sla.tier')}: ${p.tier}` : null,
    ]
      .filter(Boolean)
      .join(' · ') || t('admin.sla.everything');
  const columns: Column<SlaPolicy>[] = [
    { header: t('admin.name'), className: 'strong', cell: (p) => p.name },
    { header: t('admin.sla.appliesTo'), className: 'muted', cell: appliesTo },
    { header: t('admin.sla.rank'), num: true, cell: (p) => p.rank },
    { header: t('admin.sla.firstResponse'), num: true, testId: 'sla-row-first', cell: (p) => formatMinutes(p.firstResponseMinutes, t) },
    { header: t('admin.sla.resolution'), num: true, cell: (p) => formatMinutes(p.resolutionMinutes, t) },
    { header: t('admin.sla.calendar'), cell: (p) => (p.calendar === '24x7' ? t('admin.sla.cal24x7') : calName(p.calendarId ?? null)) },
    { header: t('admin.status'), cell: (p) => <ActivePill active={p.active} /> },
  ];

  return (
    <>
      <RecordList
        query={policies}
        columns={columns}
        rowKey={(p) => p.id}
        rowTestId="sla-row"
        onOpen={editing.edit}
        empty={t('admin.sla.empty')}
        toolbar={<ListToolbar hint={t('admin.sla.hint')} newLabel={t('admin.sla.new')} newTestId="sla-new" onNew={() => editing.edit('new')} />}
      />
      {editing.open && <SlaPolicyDialog policy={editing.record} onClose={editing.close} />}
    </>
  );
}

const calendarKinds = ['business', '24x7'] as const;

/**
 * Which orders a rule applies to: service types and priorities, none ticked meaning all. The type errors show
 * here; a priority is only ever one of the listed ones.
 */
export function ServiceScopeFields({ types, priorities, onTypes, onPriorities, testIdPrefix }: { types: string[]; priorities: Priority[]; onTypes: (v: string[]) => void; onPriorities: (v: Priority[]) => void; testIdPrefix?: string }) {
  const { t } = useTranslation();
  const typeOptions = useServiceTypes();
  return (
    <>
      <Field label={t('admin.sla.types')} name="types" wide group>
        <CheckGroup options={typeOptions} value={types} onChange={onTypes} label={(k) => typeOptions.find((x) => x.key === k)?.label ?? k} testId={testIdPrefix && `${testIdPrefix}-types`} />
      </Field>
      <Field label={t('admin.sla.priorities')} hint={t('admin.sla.emptyMeansAll')} wide group>
        <CheckGroup options={priorityList.map((k) => ({ key: k, label: k }))} value={priorities} onChange={onPriorities} label={(k) => t(`service.priority.${k}`)} testId={testIdPrefix && `${testIdPrefix}-priorities`} />
      </Field>
    </>
  );
}

interface SlaDraft {
  name: string;
  types: string[];
  priorities: Priority[];
  tags: string;
  tier: string;
  rank: string;
  first: string;
  resolution: string;
  calendar: (typeof calendarKinds)[number];
  calendarId: string;
  atRisk: string;
  active: boolean;
}

const slaDraft = (p: SlaPolicy | null): SlaDraft => ({
  name: p?.name ?? '',
  types: p?.types ?? [],
  priorities: p?.priorities ?? [],
  tags: (p?.tags ?? []).join(', '),
  tier: p?.tier ?? '',
  rank: String(p?.rank ?? 100),
  first: p ? String(p.firstResponseMinutes) : '60',
  resolution: p ? String(p.resolutionMinutes) : '480',
  calendar: p?.calendar ?? 'business',
  calendarId: p?.calendarId ?? '',
  atRisk: String(p?.atRiskPercent ?? 80),
  active: p?.active ?? true,
});

const slaFields = (d: SlaDraft) => ({
  name: d.name.trim(),
  types: d.types,
  priorities: d.priorities,
  tags: splitList(d.tags),
  tier: d.tier.trim() || null,
  rank: Number(d.rank),
  firstResponseMinutes: Number(d.first),
  resolutionMinutes: Number(d.resolution),
  calendar: d.calendar,
  calendarId: d.calendar === 'business' && d.calendarId ? d.calendarId : null,
  atRiskPercent: Number(d.atRisk),
});

function SlaPolicyDialog({ policy, onClose }: { policy: SlaPolicy | null; onClose: () => void }) {
  const { t } = useTranslation();
  const calendars = useCalendars();
  const editor = useRecordEditor({
    record: policy,
    draft: slaDraft,
    create: (d) => api<SlaPolicy>('/api/sla-policies', { method: 'POST', body: slaFields(d) satisfies CreateSlaPolicyInput }),
    update: (p, d, version) => api<SlaPolicy>(`/api/sla-policies/${p.id}`, { method: 'PATCH', body: patchBody(slaFields(d), p, version, d.active) satisfies UpdateSlaPolicyInput }),
    queryKey: ['sla-policies'],
    onClose,
  });
  const { draft: d, set, text } = editor;

  return (
    <RecordDialog id="sla" title={policy ? `${t('admin.sla.edit')} · ${policy.name}` : t('admin.sla.new')} editor={editor} canSave={Boolean(d.name.trim())} onClose={onClose}>
      <Field label={t('admin.name')} name="name" required wide>
        <input {...text('name')} maxLength={100} autoFocus data-testid="sla-name" />
      </Field>
      <ServiceScopeFields types={d.types} priorities={d.priorities} onTypes={(v) => set('types', v)} onPriorities={(v) => set('priorities', v)} testIdPrefix="sla" />
      <Field label={t('admin.sla.tags')} name="tags">
        <input {...text('tags')} placeholder={t('admin.sla.tagsPlaceholder')} data-testid="sla-tags" />
      </Field>
      <Field label={t('admin.sla.tier')} name="tier">
        <input {...text('tier')} maxLength={30} />
      </Field>
      <Field label={t('admin.sla.firstResponseMinutes')} name="firstResponseMinutes" required>
        <input type="number" {...text('first')} data-testid="sla-first" />
      </Field>
      <Field label={t('admin.sla.resolutionMinutes')} name="resolutionMinutes" required>
        <input type="number" {...text('resolution')} data-testid="sla-resolution" />
      </Field>
      <Field label={t('admin.sla.calendar')}>
        <EnumSelect value={d.calendar} options={calendarKinds} label={(k) => ({ business: t('admin.sla.calBusiness'), '24x7': t('admin.sla.cal24x7') })[k]} onChange={(v) => set('calendar', v)} testId="sla-calendar" />
      </Field>
      {d.calendar === 'business' && (
        <Field label={t('admin.sla.businessCalendar')} name="calendarId">
          <RefSelect {...text('calendarId')} items={calendars.data?.items.flatMap((c) => (c.id ? [{ id: c.id, name: c.name }] : []))} none={t('admin.sla.defaultCalendar')} />
        </Field>
      )}
      <Field label={t('admin.sla.atRiskPercent')} name="atRiskPercent">
        <input type="number" {...text('atRisk')} />
      </Field>
      <Field label={t('admin.sla.rank')} name="rank" hint={t('admin.sla.rankHint')}>
        <input type="number" {...text('rank')} />
      </Field>
      {policy && <ActiveCheck {...editor.check('active')} testId="sla-active" />}
    </RecordDialog>
  );
}
