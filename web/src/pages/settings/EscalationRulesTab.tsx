// 升级规则: when an SLA target is at risk or breached (for a policy, types, priorities), notify someone,
// raise the priority or reassign to a specialist team. List, create, edit, (de)activate.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useUsers } from '../../api/lookups.ts';
import { escalationActionList, type CreateEscalationRuleInput, type EscalationRule, type Priority, type SlaPolicy, type UpdateEscalationRuleInput } from '../../api/types.ts';
import { ActivePill, EnumSelect, RefSelect, TeamSelect, useTeams } from './adminKit.tsx';
import { ActiveCheck, Field, ListToolbar, RecordDialog, RecordList, patchBody, useEditing, useRecordEditor, type Column } from './RecordEditor.tsx';
import { ServiceScopeFields, useSlaPolicies } from './SlaPoliciesTab.tsx';

type Action = (typeof escalationActionList)[number];
const slaTargets = ['first_response', 'resolution'] as const;
const slaStates = ['at_risk', 'breached'] as const;

export function EscalationRulesTab() {
  const { t } = useTranslation();
  const rules = useQuery({ queryKey: ['escalation-rules'], queryFn: () => api<{ items: EscalationRule[] }>('/api/escalation-rules') });
  const policies = useSlaPolicies();
  const teams = useTeams();
  const users = useUsers();
  const editing = useEditing<EscalationRule>();
  const who = (r: EscalationRule) =>
    [r.targetTeamId ? (teams.data?.items.find((x) => x.id === r.targetTeamId)?.name ?? '…') : null, r.targetUserId ? (users.data?.items.find((x) => x.id === r.targetUserId)?.name ?? '…') : null]
      .filter(Boolean)
      .join(' / ');
  const columns: Column<EscalationRule>[] = [
    { header: t('admin.name'), className: 'strong', cell: (r) => r.name },
    { header: t('admin.esc.when'), cell: (r) => `${t(`admin.esc.targets.${r.target}`)} · ${t(`sla.state.${r.onState}`)}` },
    { header: t('admin.esc.policy'), className: 'muted', cell: (r) => (r.policyId ? (policies.data?.items.find((p) => p.id === r.policyId)?.name ?? '…') : t('admin.esc.anyPolicy')) },
    { header: t('admin.esc.action'), cell: (r) => t(`admin.esc.actions.${r.action}`) },
    { header: t('admin.esc.target'), cell: who },
    { header: t('admin.esc.level'), num: true, cell: (r) => r.level },
    { header: t('admin.status'), cell: (r) => <ActivePill active={r.active} /> },
  ];

  return (
    <>
      <RecordList
        query={rules}
        columns={columns}
        rowKey={(r) => r.id}
        rowTestId="esc-row"
        onOpen={editing.edit}
        empty={t('admin.esc.empty')}
        toolbar={<ListToolbar hint={t('admin.esc.hint')} newLabel={t('admin.esc.new')} newTestId="esc-new" onNew={() => editing.edit('new')} />}
      />
      {editing.open && <EscalationRuleDialog rule={editing.record} policies={policies.data?.items ?? []} onClose={editing.close} />}
    </>
  );
}

interface EscalationDraft {
  name: string;
  onState: (typeof slaStates)[number];
  target: (typeof slaTargets)[number];
  policyId: string;
  types: string[];
  priorities: Priority[];
  action: Action;
  targetUserId: string;
  targetTeamId: string;
  level: string;
  active: boolean;
}

const escalationDraft = (r: EscalationRule | null): EscalationDraft => ({
  name: r?.name ?? '',
  onState: r?.onState ?? 'breached',
  target: r?.target ?? 'resolution',
  policyId: r?.policyId ?? '',
  types: r?.types ?? [],
  priorities: r?.priorities ?? [],
  action: r?.action ?? 'notify',
  targetUserId: r?.targetUserId ?? '',
  targetTeamId: r?.targetTeamId ?? '',
  level: String(r?.level ?? 1),
  active: r?.active ?? true,
});

const escalationFields = (d: EscalationDraft) => ({
  name: d.name.trim(),
  onState: d.onState,
  target: d.target,
  policyId: d.policyId || null,
  types: d.types,
  priorities: d.priorities,
  action: d.action,
  targetUserId: d.targetUserId || null,
  targetTeamId: d.targetTeamId || null,
  level: Number(d.level),
});

function EscalationRuleDialog({ rule, policies, onClose }: { rule: EscalationRule | null; policies: SlaPolicy[]; onClose: () => void }) {
  const { t } = useTranslation();
  const users = useUsers();
  const editor = useRecordEditor({
    record: rule,
    draft: escalationDraft,
    create: (d) => api<EscalationRule>('/api/escalation-rules', { method: 'POST', body: escalationFields(d) satisfies CreateEscalationRuleInput }),
    update: (r, d, version) => api<EscalationRule>(`/api/escalation-rules/${r.id}`, { method: 'PATCH', body: patchBody(escalationFields(d), r, version, d.active) satisfies UpdateEscalationRuleInput }),
    queryKey: ['escalation-rules'],
    onClose,
  });
  const { draft: d, set, text } = editor;

  return (
    <RecordDialog id="esc" title={rule ? `${t('admin.esc.edit')} · ${rule.name}` : t('admin.esc.new')} editor={editor} canSave={Boolean(d.name.trim())} onClose={onClose}>
      <Field label={t('admin.name')} name="name" required wide>
        <input {...text('name')} maxLength={100} autoFocus data-testid="esc-name" />
      </Field>
      <Field label={t('admin.esc.targetLabel')}>
        <EnumSelect value={d.target} options={slaTargets} label={(k) => t(`admin.esc.targets.${k}`)} onChange={(v) => set('target', v)} />
      </Field>
      <Field label={t('admin.esc.onState')}>
        <EnumSelect value={d.onState} options={slaStates} label={(k) => t(`sla.state.${k}`)} onChange={(v) => set('onState', v)} />
      </Field>
      <Field label={t('admin.esc.policy')} name="policyId">
        <RefSelect {...text('policyId')} items={policies} none={t('admin.esc.anyPolicy')} />
      </Field>
      <Field label={t('admin.esc.level')} name="level">
        <input type="number" {...text('level')} />
      </Field>
      <ServiceScopeFields types={d.types} priorities={d.priorities} onTypes={(v) => set('types', v)} onPriorities={(v) => set('priorities', v)} />
      <Field label={t('admin.esc.action')} required>
        <EnumSelect value={d.action} options={escalationActionList} label={(a) => t(`admin.esc.actions.${a}`)} onChange={(v) => set('action', v)} testId="esc-action" />
      </Field>
      <Field label={t('admin.esc.team')} name="targetTeamId">
        <TeamSelect {...text('targetTeamId')} testId="esc-team" />
      </Field>
      {d.action === 'notify' && (
        <Field label={t('admin.esc.user')} name="targetUserId">
          <RefSelect {...text('targetUserId')} items={users.data?.items} />
        </Field>
      )}
      {rule && <ActiveCheck {...editor.check('active')} />}
    </RecordDialog>
  );
}
