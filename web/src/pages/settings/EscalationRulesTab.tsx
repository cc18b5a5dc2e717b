// 升级规则: when an SLA target is at risk or breached (for a policy, types, priorities), notify someone,
// raise the priority or reassign to a specialist team. List, create, edit, (de)activate.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { useServiceTypes, useUsers } from '../../api/lookups.ts';
import { escalationActionList, priorityList, type CreateEscalationRuleInput, type EscalationRule, type Priority, type SlaPolicy, type UpdateEscalationRuleInput } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ActivePill, CheckGroup, FieldErr, SaveError, changedFields, conflictVersion, useTeams } from './adminKit.tsx';

type Action = (typeof escalationActionList)[number];

export function EscalationRulesTab() {
  const { t } = useTranslation();
  const rules = useQuery({ queryKey: ['escalation-rules'], queryFn: () => api<{ items: EscalationRule[] }>('/api/escalation-rules') });
  const policies = useQuery({ queryKey: ['sla-policies'], queryFn: () => api<{ items: SlaPolicy[] }>('/api/sla-policies') });
  const teams = useTeams();
  const users = useUsers();
  const [editing, setEditing] = useState<EscalationRule | 'new' | null>(null);
  const who = (r: EscalationRule) =>
    [r.targetTeamId ? (teams.data?.items.find((x) => x.id === r.targetTeamId)?.name ?? '…') : null, r.targetUserId ? (users.data?.items.find((x) => x.id === r.targetUserId)?.name ?? '…') : null]
      .filter(Boolean)
      .join(' / ');

  return (
    <section className="card card-flush">
      <div className="toolbar">
        <span className="muted">{t('admin.esc.hint')}</span>
        <span className="toolbar-spacer" />
        <button className="btn btn-primary" onClick={() => setEditing('new')} data-testid="esc-new">
          {t('admin.esc.new')}
        </button>
      </div>
      {rules.isError && <div className="alert alert-error">{errorMessage(rules.error)}</div>}
      {rules.data && !rules.data.items.length && <div className="empty">{t('admin.esc.empty')}</div>}
      {rules.data && rules.data.items.length > 0 && (
        <table className="table table-click">
          <thead>
            <tr>
              <th>{t('admin.name')}</th>
              <th>{t('admin.esc.when')}</th>
              <th>{t('admin.esc.policy')}</th>
              <th>{t('admin.esc.action')}</th>
              <th>{t('admin.esc.target')}</th>
              <th className="num">{t('admin.esc.level')}</th>
              <th>{t('admin.status')}</th>
            </tr>
          </thead>
          <tbody>
            {rules.data.items.map((r) => (
              <tr key={r.id} data-testid="esc-row" onClick={() => setEditing(r)}>
                <td className="strong">{r.name}</td>
                <td>
                  {t(`admin.esc.targets.${r.target}`)} · {t(`sla.state.${r.onState}`)}
                </td>
                <td className="muted">{r.policyId ? (policies.data?.items.find((p) => p.id === r.policyId)?.name ?? '…') : t('admin.esc.anyPolicy')}</td>
                <td>{t(`admin.esc.actions.${r.action}`)}</td>
                <td>{who(r)}</td>
                <td className="num">{r.level}</td>
                <td>
                  <ActivePill active={r.active} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <EscalationRuleDialog rule={editing === 'new' ? null : editing} policies={policies.data?.items ?? []} onClose={() => setEditing(null)} />}
    </section>
  );
}

function EscalationRuleDialog({ rule, policies, onClose }: { rule: EscalationRule | null; policies: SlaPolicy[]; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const types = useServiceTypes();
  const teams = useTeams();
  const users = useUsers();
  const [name, setName] = useState(rule?.name ?? '');
  const [onState, setOnState] = useState<'at_risk' | 'breached'>(rule?.onState ?? 'breached');
  const [target, setTarget] = useState<'first_response' | 'resolution'>(rule?.target ?? 'resolution');
  const [policyId, setPolicyId] = useState(rule?.policyId ?? '');
  const [typeKeys, setTypeKeys] = useState<string[]>(rule?.types ?? []);
  const [prios, setPrios] = useState<Priority[]>(rule?.priorities ?? []);
  const [action, setAction] = useState<Action>(rule?.action ?? 'notify');
  const [targetUserId, setTargetUserId] = useState(rule?.targetUserId ?? '');
  const [targetTeamId, setTargetTeamId] = useState(rule?.targetTeamId ?? '');
  const [level, setLevel] = useState(String(rule?.level ?? 1));
  const [active, setActive] = useState(rule?.active ?? true);
  const [version, setVersion] = useState(rule?.version ?? 1);

  const save = useMutation({
    mutationFn: () => {
      const fields = {
        name: name.trim(),
        onState,
        target,
        policyId: policyId || null,
        types: typeKeys,
        priorities: prios,
        action,
        targetUserId: targetUserId || null,
        targetTeamId: targetTeamId || null,
        level: Number(level),
      };
      if (!rule) return api<EscalationRule>('/api/escalation-rules', { method: 'POST', body: fields satisfies CreateEscalationRuleInput });
      return api<EscalationRule>(`/api/escalation-rules/${rule.id}`, { method: 'PATCH', body: { ...changedFields(fields, rule), ...(active !== rule.active ? { active } : {}), version } satisfies UpdateEscalationRuleInput });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['escalation-rules'] });
      onClose();
    },
    onError: async (e) => {
      const v = conflictVersion(e);
      if (v !== null) {
        setVersion(v);
        await queryClient.invalidateQueries({ queryKey: ['escalation-rules'] });
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
      title={rule ? `${t('admin.esc.edit')} · ${rule.name}` : t('admin.esc.new')}
      onClose={onClose}
      footer={
        <>
          <button className="btn" type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn btn-primary" type="submit" form="esc-form" disabled={save.isPending || !name.trim()} data-testid="esc-save">
            {save.isPending ? t('common.saving') : t('common.save')}
          </button>
        </>
      }
    >
      <form id="esc-form" className="form-grid" onSubmit={submit}>
        <label className="field field-wide">
          <span className="field-label required">{t('admin.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus data-testid="esc-name" />
          <FieldErr error={err} field="name" />
        </label>
        <label className="field">
          <span className="field-label">{t('admin.esc.targetLabel')}</span>
          <select value={target} onChange={(e) => setTarget(e.target.value as typeof target)}>
            <option value="first_response">{t('admin.esc.targets.first_response')}</option>
            <option value="resolution">{t('admin.esc.targets.resolution')}</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('admin.esc.onState')}</span>
          <select value={onState} onChange={(e) => setOnState(e.target.value as typeof onState)}>
            <option value="at_risk">{t('sla.state.at_risk')}</option>
            <option value="breached">{t('sla.state.breached')}</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('admin.esc.policy')}</span>
          <select value={policyId} onChange={(e) => setPolicyId(e.target.value)}>
            <option value="">{t('admin.esc.anyPolicy')}</option>
            {policies.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <FieldErr error={err} field="policyId" />
        </label>
        <label className="field">
          <span className="field-label">{t('admin.esc.level')}</span>
          <input type="number" value={level} onChange={(e) => setLevel(e.target.value)} />
          <FieldErr error={err} field="level" />
        </label>
        <div className="field field-wide">
          <span className="field-label">{t('admin.sla.types')}</span>
          <CheckGroup options={types} value={typeKeys} onChange={setTypeKeys} label={(k) => types.find((x) => x.key === k)?.label ?? k} />
        </div>
        <div className="field field-wide">
          <span className="field-label">{t('admin.sla.priorities')}</span>
          <CheckGroup options={priorityList.map((k) => ({ key: k, label: k }))} value={prios} onChange={setPrios} label={(k) => t(`service.priority.${k}`)} />
          <span className="hint muted">{t('admin.sla.emptyMeansAll')}</span>
        </div>
        <label className="field">
          <span className="field-label required">{t('admin.esc.action')}</span>
          <select value={action} onChange={(e) => setAction(e.target.value as Action)} data-testid="esc-action">
            {escalationActionList.map((a) => (
              <option key={a} value={a}>
                {t(`admin.esc.actions.${a}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('admin.esc.team')}</span>
          <select value={targetTeamId} onChange={(e) => setTargetTeamId(e.target.value)} data-testid="esc-team">
            <option value="">—</option>
            {teams.data?.items.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
          <FieldErr error={err} field="targetTeamId" />
        </label>
        {action === 'notify' && (
          <label className="field">
            <span className="field-label">{t('admin.esc.user')}</span>
            <select value={targetUserId} onChange={(e) => setTargetUserId(e.target.value)}>
              <option value="">—</option>
              {users.data?.items.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
            <FieldErr error={err} field="targetUserId" />
          </label>
        )}
        {rule && (
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
