// Queues (队列), skills (技能) and agents (坐席) of the contact center: the front line and the specialist
// desks with their targets, overflow and tag priorities; skills; agents with their skill sets and team.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { useCan } from '../../auth.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { fieldError } from '../../components/fieldErrors.ts';
import { Icon } from '../../components/Icon.tsx';
import {
  CC, agentStateList, isConflict, queueKindList, useAgents, useQueues, useSkills, useTeams,
  type Agent, type AgentState, type CreateAgentInput, type CreateQueueInput, type Queue, type QueueKind, type Skill, type UpdateAgentInput, type UpdateQueueInput,
} from './ccApi.ts';

type Tab = 'queues' | 'skills' | 'agents';

export function QueuesPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('queues');
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('cc.nav.queues')}</h1>
          <p className="page-sub muted">{t('cc.queues.subtitle')}</p>
        </div>
      </div>
      <div className="view-tabs" role="tablist">
        {(['queues', 'skills', 'agents'] as const).map((x) => (
          <button key={x} role="tab" aria-selected={tab === x} className={`view-tab ${tab === x ? 'active' : ''}`} onClick={() => setTab(x)} data-testid={`cc-tab-${x}`}>
            {t(`cc.tabs.${x}`)}
          </button>
        ))}
      </div>
      {tab === 'queues' && <QueueList />}
      {tab === 'skills' && <SkillList />}
      {tab === 'agents' && <AgentList />}
    </div>
  );
}

function ConflictAlert({ onReload }: { onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert-warn" data-testid="cc-conflict">
      {t('cc.conflict')}{' '}
      <button type="button" className="btn btn-sm" onClick={onReload}>
        {t('cc.reloadLatest')}
      </button>
    </div>
  );
}

function FieldErr({ err, field }: { err: unknown; field: string }) {
  const msg = fieldError(err, field);
  return msg ? <span className="field-error" data-testid={`err-${field}`}>{msg}</span> : null;
}

// ---- Queues ----

function QueueList() {
  const { t } = useTranslation();
  const can = useCan();
  const queues = useQueues();
  const skills = useSkills();
  const [editing, setEditing] = useState<Queue | 'new' | null>(null);
  const byId = new Map((queues.data?.items ?? []).map((q) => [q.id, q]));
  const skillName = (id: string | null) => (id ? skills.data?.items.find((s) => s.id === id)?.name ?? '' : '');
  return (
    <>
      {can('contact_center.manage') && (
        <div className="toolbar">
          <span className="toolbar-spacer" />
          <button className="btn btn-primary" onClick={() => setEditing('new')} data-testid="queue-create">
            <Icon name="plus" />
            {t('cc.queues.create')}
          </button>
        </div>
      )}
      {queues.isError && <div className="alert alert-error">{errorMessage(queues.error)}</div>}
      <section className="card card-flush">
        {queues.isPending ? (
          <div className="empty">{t('common.loading')}</div>
        ) : !queues.data?.items.length ? (
          <div className="empty">{t('cc.queues.empty')}</div>
        ) : (
          <table className="table table-click">
            <thead>
              <tr>
                <th style={{ width: 120 }}>{t('cc.queue.key')}</th>
                <th>{t('cc.queue.name')}</th>
                <th style={{ width: 100 }}>{t('cc.queue.kind')}</th>
                <th style={{ width: 110 }}>{t('cc.queue.skill')}</th>
                <th className="num" style={{ width: 130 }}>{t('cc.queue.target')}</th>
                <th style={{ width: 170 }}>{t('cc.queue.overflow')}</th>
                <th>{t('cc.queue.tagPriorities')}</th>
                <th style={{ width: 80 }}>{t('cc.active')}</th>
              </tr>
            </thead>
            <tbody>
              {queues.data.items.map((q) => (
                <tr key={q.id} data-testid="queue-row" onClick={() => can('contact_center.manage') && setEditing(q)}>
                  <td className="mono">{q.key}</td>
                  <td className="strong">{q.name}</td>
                  <td>
                    <span className={`pill ${q.kind === 'specialist' ? 'cb-reopen' : 'cb-pending'}`}>{t(`cc.kind.${q.kind}`)}</span>
                  </td>
                  <td>{skillName(q.skillId)}</td>
                  <td className="num">{t('cc.queue.targetValue', { pct: Math.round(q.serviceLevelGoal * 100), s: q.targetSeconds })}</td>
                  <td>{q.overflowQueueId ? t('cc.queue.overflowValue', { queue: byId.get(q.overflowQueueId)?.name ?? '?', s: q.overflowAfterSeconds ?? '–' }) : <span className="muted">–</span>}</td>
                  <td>
                    <span className="tags">
                      {Object.entries(q.settings.tagPriorities ?? {}).map(([tag, p]) => (
                        <span key={tag} className="tag">
                          {tag} → {p}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td>{q.active ? t('cc.yes') : <span className="muted">{t('cc.no')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {editing && <QueueDialog queue={editing === 'new' ? null : editing} queues={queues.data?.items ?? []} skills={skills.data?.items ?? []} onClose={() => setEditing(null)} />}
    </>
  );
}

interface QueueDraft {
  key: string;
  name: string;
  kind: QueueKind;
  skillId: string;
  targetSeconds: string;
  serviceLevelPct: string;
  shortAbandonSeconds: string;
  excludeShortAbandons: boolean;
  overflowQueueId: string;
  overflowAfterSeconds: string;
  tags: { tag: string; priority: string }[];
  active: boolean;
}

function draftOf(q: Queue | null): QueueDraft {
  return {
    key: q?.key ?? '',
    name: q?.name ?? '',
    kind: q?.kind ?? 'front_line',
    skillId: q?.skillId ?? '',
    targetSeconds: String(q?.targetSeconds ?? 20),
    serviceLevelPct: String(Math.round((q?.serviceLevelGoal ?? 0.8) * 1000) / 10),
    shortAbandonSeconds: String(q?.shortAbandonSeconds ?? 5),
    excludeShortAbandons: q?.excludeShortAbandons ?? true,
    overflowQueueId: q?.overflowQueueId ?? '',
    overflowAfterSeconds: q?.overflowAfterSeconds ? String(q.overflowAfterSeconds) : '',
    tags: Object.entries(q?.settings.tagPriorities ?? {}).map(([tag, p]) => ({ tag, priority: String(p) })),
    active: q?.active ?? true,
  };
}

/** Numbers as typed; an empty or malformed box goes to the server as is so its field error names it. */
function num(s: string): number {
  return s.trim() === '' ? Number.NaN : Number(s);
}

function QueueDialog({ queue, queues, skills, onClose }: { queue: Queue | null; queues: Queue[]; skills: Skill[]; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [base, setBase] = useState<Queue | null>(queue);
  const [d, setD] = useState<QueueDraft>(() => draftOf(queue));
  const set = <K extends keyof QueueDraft>(k: K, v: QueueDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const save = useMutation({
    mutationFn: () => {
      const tagPriorities = Object.fromEntries(d.tags.filter((x) => x.tag.trim()).map((x) => [x.tag.trim(), num(x.priority)]));
      const fields = {
        name: d.name,
        kind: d.kind,
        skillId: d.skillId || null,
        targetSeconds: num(d.targetSeconds),
        serviceLevelGoal: num(d.serviceLevelPct) / 100,
        shortAbandonSeconds: num(d.shortAbandonSeconds),
        excludeShortAbandons: d.excludeShortAbandons,
        overflowQueueId: d.overflowQueueId || null,
        overflowAfterSeconds: d.overflowQueueId ? num(d.overflowAfterSeconds) : null,
        settings: { tagPriorities },
        active: d.active,
      };
      if (base) return api<Queue>(`${CC}/queues/${base.id}`, { method: 'PATCH', body: { version: base.version, ...fields } satisfies UpdateQueueInput });
      return api<Queue>(`${CC}/queues`, { method: 'POST', body: { key: d.key, ...fields } satisfies CreateQueueInput });
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['cc', 'queues'] });
      onClose();
    },
  });
  const reload = async () => {
    if (!base) return;
    const fresh = await api<Queue>(`${CC}/queues/${base.id}`);
    setBase(fresh);
    setD(draftOf(fresh));
    save.reset();
    await qc.invalidateQueries({ queryKey: ['cc', 'queues'] });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const err = save.error;
  return (
    <Dialog
      title={base ? t('cc.queues.edit', { name: base.name }) : t('cc.queues.create')}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn btn-primary" type="submit" form="queue-form" disabled={save.isPending} data-testid="queue-save">
            {t('common.save')}
          </button>
        </>
      }
    >
      <form id="queue-form" className="form-grid" onSubmit={submit}>
        {isConflict(err) && <ConflictAlert onReload={() => void reload()} />}
        {err && !isConflict(err) && <div className="alert alert-error">{errorMessage(err)}</div>}
        <label className="field">
          <span className="field-label required">{t('cc.queue.key')}</span>
          <input value={d.key} onChange={(e) => set('key', e.target.value)} disabled={Boolean(base)} className="mono" data-testid="queue-key" />
          {fieldError(err, 'key') ? <FieldErr err={err} field="key" /> : <span className="hint">{t('cc.queue.keyHint')}</span>}
        </label>
        <label className="field">
          <span className="field-label required">{t('cc.queue.name')}</span>
          <input value={d.name} onChange={(e) => set('name', e.target.value)} maxLength={100} data-testid="queue-name" />
          <FieldErr err={err} field="name" />
        </label>
        <label className="field">
          <span className="field-label">{t('cc.queue.kind')}</span>
          <select value={d.kind} onChange={(e) => set('kind', e.target.value as QueueKind)} data-testid="queue-kind">
            {queueKindList.map((k) => (
              <option key={k} value={k}>
                {t(`cc.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('cc.queue.skill')}</span>
          <select value={d.skillId} onChange={(e) => set('skillId', e.target.value)} data-testid="queue-skill">
            <option value="">{t('cc.none')}</option>
            {skills.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <FieldErr err={err} field="skillId" />
        </label>
        <label className="field">
          <span className="field-label">{t('cc.queue.targetSeconds')}</span>
          <input type="number" value={d.targetSeconds} onChange={(e) => set('targetSeconds', e.target.value)} data-testid="queue-target" />
          <FieldErr err={err} field="targetSeconds" />
        </label>
        <label className="field">
          <span className="field-label">{t('cc.queue.serviceLevelGoal')}</span>
          <input type="number" step="0.1" value={d.serviceLevelPct} onChange={(e) => set('serviceLevelPct', e.target.value)} data-testid="queue-goal" />
          <FieldErr err={err} field="serviceLevelGoal" />
        </label>
        <label className="field">
          <span className="field-label">{t('cc.queue.shortAbandonSeconds')}</span>
          <input type="number" value={d.shortAbandonSeconds} onChange={(e) => set('shortAbandonSeconds', e.target.value)} />
          <FieldErr err={err} field="shortAbandonSeconds" />
        </label>
        <label className="check">
          <input type="checkbox" checked={d.excludeShortAbandons} onChange={(e) => set('excludeShortAbandons', e.target.checked)} />
          {t('cc.queue.excludeShortAbandons')}
        </label>
        <label className="field">
          <span className="field-label">{t('cc.queue.overflowQueue')}</span>
          <select value={d.overflowQueueId} onChange={(e) => set('overflowQueueId', e.target.value)} data-testid="queue-overflow">
            <option value="">{t('cc.none')}</option>
            {queues
              .filter((q) => q.id !== base?.id)
              .map((q) => (
                <option key={q.id} value={q.id}>
                  {q.name}
                </option>
              ))}
          </select>
          <FieldErr err={err} field="overflowQueueId" />
        </label>
        <label className="field">
          <span className="field-label">{t('cc.queue.overflowAfterSeconds')}</span>
          <input type="number" value={d.overflowAfterSeconds} onChange={(e) => set('overflowAfterSeconds', e.target.value)} disabled={!d.overflowQueueId} data-testid="queue-overflow-after" />
          <FieldErr err={err} field="overflowAfterSeconds" />
        </label>
        <div className="field field-wide">
          <span className="field-label">{t('cc.queue.tagPriorities')}</span>
          <span className="hint">{t('cc.queue.tagPrioritiesHint')}</span>
          {d.tags.map((x, i) => (
            <div key={i} className="btn-row">
              <input value={x.tag} placeholder={t('cc.queue.tag')} onChange={(e) => set('tags', d.tags.map((y, j) => (j === i ? { ...y, tag: e.target.value } : y)))} data-testid="queue-tag" />
              <input type="number" value={x.priority} placeholder={t('cc.queue.priority')} style={{ width: 90 }} onChange={(e) => set('tags', d.tags.map((y, j) => (j === i ? { ...y, priority: e.target.value } : y)))} data-testid="queue-tag-priority" />
              <button type="button" className="btn btn-ghost btn-icon" aria-label={t('cc.remove')} onClick={() => set('tags', d.tags.filter((_, j) => j !== i))}>
                <Icon name="x" />
              </button>
            </div>
          ))}
          <FieldErr err={err} field="settings" />
          <div>
            <button type="button" className="btn btn-sm" onClick={() => set('tags', [...d.tags, { tag: '', priority: '50' }])} data-testid="queue-tag-add">
              <Icon name="plus" />
              {t('cc.queue.addTag')}
            </button>
          </div>
        </div>
        <label className="check">
          <input type="checkbox" checked={d.active} onChange={(e) => set('active', e.target.checked)} />
          {t('cc.active')}
        </label>
      </form>
    </Dialog>
  );
}

// ---- Skills ----

function SkillList() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const skills = useSkills();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api<Skill>(`${CC}/skills`, { method: 'POST', body: { key, name } }),
    onSuccess: async () => {
      setKey('');
      setName('');
      await qc.invalidateQueries({ queryKey: ['cc', 'skills'] });
    },
  });
  return (
    <>
      {can('contact_center.manage') && (
        <section className="card">
          <form
            className="toolbar"
            style={{ marginBottom: 0 }}
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate();
            }}
          >
            <label className="field">
              <input value={key} onChange={(e) => setKey(e.target.value)} placeholder={t('cc.skill.key')} className="mono" data-testid="skill-key" />
              <FieldErr err={create.error} field="key" />
            </label>
            <label className="field grow">
              <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('cc.skill.name')} maxLength={100} data-testid="skill-name" />
              <FieldErr err={create.error} field="name" />
            </label>
            <button type="submit" className="btn" disabled={create.isPending} data-testid="skill-submit">
              <Icon name="plus" />
              {t('cc.skill.create')}
            </button>
          </form>
          {create.isError && !fieldError(create.error, 'key') && !fieldError(create.error, 'name') && <div className="alert alert-error">{errorMessage(create.error)}</div>}
        </section>
      )}
      <section className="card card-flush">
        {!skills.data?.items.length ? (
          <div className="empty">{skills.isPending ? t('common.loading') : t('cc.skill.empty')}</div>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th style={{ width: 200 }}>{t('cc.skill.key')}</th>
                <th>{t('cc.skill.name')}</th>
              </tr>
            </thead>
            <tbody>
              {skills.data.items.map((s) => (
                <SkillRow key={s.id} skill={s} editable={can('contact_center.manage')} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function SkillRow({ skill, editable }: { skill: Skill; editable: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [name, setName] = useState(skill.name);
  const rename = useMutation({
    mutationFn: () => api<Skill>(`${CC}/skills/${skill.id}`, { method: 'PATCH', body: { version: skill.version, name } }),
    onSettled: async () => qc.invalidateQueries({ queryKey: ['cc', 'skills'] }),
  });
  return (
    <tr data-testid="skill-row">
      <td className="mono">{skill.key}</td>
      <td>
        {editable ? (
          <span className="btn-row">
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} aria-label={t('cc.skill.name')} />
            {name !== skill.name && (
              <button className="btn btn-sm" onClick={() => rename.mutate()} disabled={rename.isPending}>
                {t('common.save')}
              </button>
            )}
          </span>
        ) : (
          skill.name
        )}
        {isConflict(rename.error) && <div className="field-error">{t('cc.conflict')}</div>}
        {rename.error && !isConflict(rename.error) && <div className="field-error">{fieldError(rename.error, 'name') ?? errorMessage(rename.error)}</div>}
      </td>
    </tr>
  );
}

// ---- Agents ----

function AgentList() {
  const { t } = useTranslation();
  const can = useCan();
  const agents = useAgents();
  const skills = useSkills();
  const teams = useTeams();
  const [editing, setEditing] = useState<Agent | 'new' | null>(null);
  const skillName = (id: string) => skills.data?.items.find((s) => s.id === id)?.name ?? '?';
  const teamName = (id: string | null) => (id ? teams.data?.items.find((x) => x.id === id)?.name ?? '' : '');
  return (
    <>
      {can('contact_center.manage') && (
        <div className="toolbar">
          <span className="toolbar-spacer" />
          <button className="btn btn-primary" onClick={() => setEditing('new')} data-testid="agent-create">
            <Icon name="plus" />
            {t('cc.agents.create')}
          </button>
        </div>
      )}
      {agents.isError && <div className="alert alert-error">{errorMessage(agents.error)}</div>}
      <section className="card card-flush">
        {!agents.data?.items.length ? (
          <div className="empty">{agents.isPending ? t('common.loading') : t('cc.agents.empty')}</div>
        ) : (
          <table className="table table-click">
            <thead>
              <tr>
                <th style={{ width: 110 }}>{t('cc.agent.extension')}</th>
                <th style={{ width: 140 }}>{t('cc.agent.name')}</th>
                <th style={{ width: 120 }}>{t('cc.agent.team')}</th>
                <th>{t('cc.agent.skills')}</th>
                <th style={{ width: 110 }}>{t('cc.agent.state')}</th>
                <th style={{ width: 80 }}>{t('cc.active')}</th>
              </tr>
            </thead>
            <tbody>
              {agents.data.items.map((a) => (
                <tr key={a.id} data-testid="agent-row" onClick={() => can('contact_center.manage') && setEditing(a)}>
                  <td className="mono">{a.extension}</td>
                  <td className="strong">{a.name}</td>
                  <td>{teamName(a.teamId)}</td>
                  <td>
                    <span className="tags">
                      {a.skills.map((s) => (
                        <span key={s.skillId} className="tag" title={t('cc.agent.proficiency')}>
                          {skillName(s.skillId)} · {'★'.repeat(s.proficiency)}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td onClick={(e) => can('contact_center.manage') && e.stopPropagation()}>
                    {can('contact_center.manage') ? <AgentStateSelect agent={a} /> : <span className={`cc-state cc-state-${a.state}`}>{t(`cc.state.${a.state}`)}</span>}
                  </td>
                  <td>{a.active ? t('cc.yes') : <span className="muted">{t('cc.no')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {editing && <AgentDialog agent={editing === 'new' ? null : editing} skills={skills.data?.items ?? []} onClose={() => setEditing(null)} />}
    </>
  );
}

/** A supervisor sets an agent's state (e.g. offline when the PBX missed a logout). */
function AgentStateSelect({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const set = useMutation({
    mutationFn: (state: AgentState) => api<Agent>(`${CC}/agents/${agent.id}/state`, { method: 'POST', body: { state } }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['cc', 'agents'] }),
  });
  return (
    <>
      <select className={`cc-state cc-state-${agent.state}`} value={agent.state} disabled={set.isPending} onChange={(e) => set.mutate(e.target.value as AgentState)} aria-label={t('cc.agent.state')} data-testid="agent-state">
        {agentStateList.map((s) => (
          <option key={s} value={s}>
            {t(`cc.state.${s}`)}
          </option>
        ))}
      </select>
      {set.isError && <div className="field-error">{errorMessage(set.error)}</div>}
    </>
  );
}

interface AgentDraft {
  extension: string;
  name: string;
  teamId: string;
  skills: { skillId: string; proficiency: number }[];
  active: boolean;
}

const agentDraftOf = (a: Agent | null): AgentDraft => ({
  extension: a?.extension ?? '',
  name: a?.name ?? '',
  teamId: a?.teamId ?? '',
  skills: a?.skills.map((s) => ({ ...s })) ?? [],
  active: a?.active ?? true,
});

function AgentDialog({ agent, skills, onClose }: { agent: Agent | null; skills: Skill[]; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const teams = useTeams();
  const [base, setBase] = useState<Agent | null>(agent);
  const [d, setD] = useState<AgentDraft>(() => agentDraftOf(agent));
  const set = <K extends keyof AgentDraft>(k: K, v: AgentDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const save = useMutation({
    mutationFn: () => {
      const fields = { extension: d.extension, name: d.name, teamId: d.teamId || null, skills: d.skills.filter((s) => s.skillId), active: d.active };
      if (base) return api<Agent>(`${CC}/agents/${base.id}`, { method: 'PATCH', body: { version: base.version, ...fields } satisfies UpdateAgentInput });
      return api<Agent>(`${CC}/agents`, { method: 'POST', body: fields satisfies CreateAgentInput });
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['cc', 'agents'] });
      onClose();
    },
  });
  const reload = async () => {
    if (!base) return;
    const fresh = await api<Agent>(`${CC}/agents/${base.id}`);
    setBase(fresh);
    setD(agentDraftOf(fresh));
    save.reset();
    await qc.invalidateQueries({ queryKey: ['cc', 'agents'] });
  };
  const err = save.error;
  const unused = skills.filter((s) => !d.skills.some((x) => x.skillId === s.id));
  return (
    <Dialog
      title={base ? t('cc.agents.edit', { name: base.name }) : t('cc.agents.create')}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn btn-primary" type="submit" form="agent-form" disabled={save.isPending} data-testid="agent-save">
            {t('common.save')}
          </button>
        </>
      }
    >
      <form
        id="agent-form"
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {isConflict(err) && base && <ConflictAlert onReload={() => void reload()} />}
        {err && !(isConflict(err) && base) && <div className="alert alert-error">{errorMessage(err)}</div>}
        <label className="field">
          <span className="field-label required">{t('cc.agent.extension')}</span>
          <input value={d.extension} onChange={(e) => set('extension', e.target.value)} className="mono" data-testid="agent-extension" />
          {fieldError(err, 'extension') ? <FieldErr err={err} field="extension" /> : <span className="hint">{t('cc.agent.extensionHint')}</span>}
        </label>
        <label className="field">
          <span className="field-label required">{t('cc.agent.name')}</span>
          <input value={d.name} onChange={(e) => set('name', e.target.value)} maxLength={100} data-testid="agent-name" />
          <FieldErr err={err} field="name" />
        </label>
        <label className="field">
          <span className="field-label">{t('cc.agent.team')}</span>
          <select value={d.teamId} onChange={(e) => set('teamId', e.target.value)} data-testid="agent-team">
            <option value="">{t('cc.none')}</option>
            {teams.data?.items.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
          <FieldErr err={err} field="teamId" />
        </label>
        <label className="check">
          <input type="checkbox" checked={d.active} onChange={(e) => set('active', e.target.checked)} />
          {t('cc.active')}
        </label>
        <div className="field field-wide">
          <span className="field-label">{t('cc.agent.skills')}</span>
          <span className="hint">{t('cc.agent.proficiencyHint')}</span>
          {d.skills.map((s, i) => (
            <div key={i} className="btn-row" data-testid="agent-skill">
              <select value={s.skillId} onChange={(e) => set('skills', d.skills.map((x, j) => (j === i ? { ...x, skillId: e.target.value } : x)))} aria-label={t('cc.agent.skill')}>
                {skills
                  .filter((k) => k.id === s.skillId || unused.includes(k))
                  .map((k) => (
                    <option key={k.id} value={k.id}>
                      {k.name}
                    </option>
                  ))}
              </select>
              <select value={s.proficiency} onChange={(e) => set('skills', d.skills.map((x, j) => (j === i ? { ...x, proficiency: Number(e.target.value) } : x)))} aria-label={t('cc.agent.proficiency')}>
                {[1, 2, 3, 4, 5].map((p) => (
                  <option key={p} value={p}>
                    {t('cc.agent.level', { n: p })}
                  </option>
                ))}
              </select>
              <button type="button" className="btn btn-ghost btn-icon" aria-label={t('cc.remove')} onClick={() => set('skills', d.skills.filter((_, j) => j !== i))}>
                <Icon name="x" />
              </button>
              <FieldErr err={err} field={`skills.${i}`} />
            </div>
          ))}
          <div>
            <button type="button" className="btn btn-sm" disabled={!unused.length} onClick={() => unused[0] && set('skills', [...d.skills, { skillId: unused[0].id, proficiency: 3 }])} data-testid="agent-skill-add">
              <Icon name="plus" />
              {t('cc.agent.addSkill')}
            </button>
          </div>
        </div>
      </form>
    </Dialog>
  );
}
