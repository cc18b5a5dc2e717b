// The IVR menu editor (语音导航): the organization's versioned menu tree. Each menu has a prompt in both
// languages and digits that lead to another menu or to a queue; the server's checks (unknown targets,
// cycles, unreachable menus, repeated digits) are shown on the menu and option they name. Publishing
// writes a new version; older versions stay listed and can be loaded back into the editor.
import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorMessage, type FieldError } from '../../api/client.ts';
import { useCan } from '../../auth.tsx';
import { Icon } from '../../components/Icon.tsx';
import { formatDateTime } from '../../format.ts';
import { placeIvrErrors as place } from './ivrErrors.ts';
import { CC, ivrDigits, isConflict, useQueues, type IvrNode, type IvrOption, type IvrTree, type IvrVersion, type IvrVersionSummary } from './ccApi.ts';

const emptyTree = (): IvrTree => ({ root: 'main', nodes: [{ id: 'main', prompt: { zh: '', en: '' }, options: [] }] });

export function IvrEditorPage() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const editable = can('contact_center.manage');
  const current = useQuery({ queryKey: ['cc', 'ivr'], queryFn: () => api<IvrVersion | null>(`${CC}/ivr`) });
  const versions = useQuery({ queryKey: ['cc', 'ivr', 'versions'], queryFn: () => api<{ items: IvrVersionSummary[] }>(`${CC}/ivr/versions`) });
  const queues = useQueues();
  const [tree, setTree] = useState<IvrTree | null>(null);
  const [baseVersion, setBaseVersion] = useState(0);
  const [loadedFrom, setLoadedFrom] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<FieldError[] | null>(null);
  const [dirty, setDirty] = useState(false);

  // The editor starts from the published version (or an empty root menu).
  useEffect(() => {
    if (current.data === undefined || tree !== null) return;
    setTree(current.data ? structuredClone(current.data.tree) : emptyTree());
    setBaseVersion(current.data?.version ?? 0);
    setLoadedFrom(current.data?.version ?? null);
  }, [current.data, tree]);

  const edit = (next: IvrTree) => {
    setTree(next);
    setDirty(true);
    // The checks point at menus and options by position: after an edit they may point at the wrong one.
    setProblems(null);
  };

  const validate = useMutation({
    mutationFn: (x: IvrTree) => api<{ valid: boolean; errors: FieldError[] }>(`${CC}/ivr/validate`, { method: 'POST', body: x }),
    onSuccess: (r) => setProblems(r.errors),
  });
  const publish = useMutation({
    mutationFn: (x: IvrTree) => api<IvrVersion>(`${CC}/ivr`, { method: 'POST', body: { baseVersion, tree: x, note: note.trim() || null } }),
    onSuccess: async (v) => {
      setBaseVersion(v.version);
      setLoadedFrom(v.version);
      setProblems([]);
      setNote('');
      setDirty(false);
      await qc.invalidateQueries({ queryKey: ['cc', 'ivr'] });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 400) setProblems(e.body.fields ?? []);
    },
  });

  const loadVersion = async (version: number) => {
    const v = await api<IvrVersion>(`${CC}/ivr/versions/${version}`);
    setTree(structuredClone(v.tree));
    setLoadedFrom(version);
    setProblems(null);
    setDirty(version !== (versions.data?.items[0]?.version ?? 0));
  };

  const reloadLatest = async () => {
    const latest = await api<IvrVersion | null>(`${CC}/ivr`);
    await qc.invalidateQueries({ queryKey: ['cc', 'ivr'] });
    setTree(latest ? structuredClone(latest.tree) : emptyTree());
    setBaseVersion(latest?.version ?? 0);
    setLoadedFrom(latest?.version ?? null);
    setProblems(null);
    setDirty(false);
    publish.reset();
  };

  const placed = useMemo(() => place(problems ?? []), [problems]);
  const queueKeys = queues.data?.items ?? [];

  if (current.isError) return <div className="page"><div className="alert alert-error">{errorMessage(current.error)}</div></div>;
  if (!tree) return <div className="page"><div className="empty">{t('common.loading')}</div></div>;

  // Renaming a menu renames the digits and the root that lead to it.
  const setNode = (i: number, n: IvrNode) => {
    const old = tree.nodes[i]?.id;
    const renamed = old !== undefined && old !== n.id && tree.nodes.filter((x) => x.id === old).length === 1;
    const follow = (x: IvrNode): IvrNode =>
      renamed ? { ...x, options: x.options.map((o) => (o.target.type === 'menu' && o.target.menu === old ? { ...o, target: { type: 'menu', menu: n.id } } : o)) } : x;
    edit({ ...tree, root: renamed && tree.root === old ? n.id : tree.root, nodes: tree.nodes.map((x, j) => follow(j === i ? n : x)) });
  };
  const addNode = () => {
    let k = tree.nodes.length + 1;
    while (tree.nodes.some((n) => n.id === `menu${k}`)) k++;
    edit({ ...tree, nodes: [...tree.nodes, { id: `menu${k}`, prompt: { zh: '', en: '' }, options: [] }] });
  };
  const removeNode = (i: number) => edit({ ...tree, nodes: tree.nodes.filter((_, j) => j !== i) });

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('cc.nav.ivr')}</h1>
          <p className="page-sub muted">
            {baseVersion ? t('cc.ivr.published', { version: baseVersion }) : t('cc.ivr.nonePublished')}
            {loadedFrom !== null && loadedFrom !== baseVersion && <> · {t('cc.ivr.editingFrom', { version: loadedFrom })}</>}
            {dirty && <> · <span className="badge badge-warn" data-testid="ivr-dirty">{t('cc.ivr.unsaved')}</span></>}
          </p>
        </div>
      </div>
      <div className="cc-ivr-layout">
        <div className="stack">
          {editable && (
            <section className="card">
              <div className="toolbar" style={{ marginBottom: 0 }}>
                <label className="field">
                  <span className="field-label">{t('cc.ivr.root')}</span>
                  <select value={tree.root} onChange={(e) => edit({ ...tree, root: e.target.value })} data-testid="ivr-root">
                    {!tree.nodes.some((n) => n.id === tree.root) && <option value={tree.root}>{tree.root}</option>}
                    {tree.nodes.map((n) => (
                      <option key={n.id} value={n.id}>
                        {n.id}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="field grow">
                  <span className="field-label">{t('cc.ivr.note')}</span>
                  <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder={t('cc.ivr.notePlaceholder')} data-testid="ivr-note" />
                </label>
                <button className="btn" onClick={() => validate.mutate(tree)} disabled={validate.isPending} data-testid="ivr-validate">
                  <Icon name="check" />
                  {t('cc.ivr.validate')}
                </button>
                <button className="btn btn-primary" onClick={() => publish.mutate(tree)} disabled={publish.isPending} data-testid="ivr-publish">
                  <Icon name="send" />
                  {t('cc.ivr.publish')}
                </button>
              </div>
              {isConflict(publish.error) && (
                <div className="alert alert-warn" data-testid="cc-conflict">
                  {errorMessage(publish.error)}{' '}
                  <button className="btn btn-sm" onClick={() => void reloadLatest()}>
                    {t('cc.reloadLatest')}
                  </button>
                </div>
              )}
              {publish.error && !isConflict(publish.error) && <div className="alert alert-error">{errorMessage(publish.error)}</div>}
              {validate.isError && <div className="alert alert-error">{errorMessage(validate.error)}</div>}
              {problems && problems.length === 0 && !publish.isSuccess && <div className="alert alert-success" data-testid="ivr-valid">{t('cc.ivr.valid')}</div>}
              {publish.isSuccess && <div className="alert alert-success" data-testid="ivr-published">{t('cc.ivr.publishedNow', { version: publish.data.version })}</div>}
              {placed.tree.map((e, i) => (
                <div key={i} className="field-error" data-testid="ivr-error">
                  {e.message}
                </div>
              ))}
            </section>
          )}
          {tree.nodes.map((n, i) => (
            <NodeCard
              key={i}
              node={n}
              index={i}
              isRoot={n.id === tree.root}
              nodeIds={tree.nodes.map((x) => x.id)}
              queues={queueKeys.map((q) => ({ key: q.key, name: q.name }))}
              errors={placed.node.get(i) ?? []}
              optionErrors={(j) => placed.option.get(`${i}.${j}`) ?? []}
              editable={editable}
              onChange={(x) => setNode(i, x)}
              onRemove={() => removeNode(i)}
            />
          ))}
          {editable && (
            <div>
              <button className="btn" onClick={addNode} data-testid="ivr-add-node">
                <Icon name="plus" />
                {t('cc.ivr.addMenu')}
              </button>
            </div>
          )}
        </div>
        <section className="card card-flush cc-ivr-versions">
          <div className="card-head" style={{ padding: '12px 16px 0' }}>
            <h2>{t('cc.ivr.versions')}</h2>
          </div>
          {!versions.data?.items.length ? (
            <div className="empty">{t('cc.ivr.noVersions')}</div>
          ) : (
            <table className="table">
              <tbody>
                {versions.data.items.map((v) => (
                  <tr key={v.version} data-testid="ivr-version">
                    <td style={{ width: 56 }} className="mono strong">
                      v{v.version}
                    </td>
                    <td>
                      <div className="mono muted small">{formatDateTime(v.publishedAt)}</div>
                      {v.note && <div className="small">{v.note}</div>}
                    </td>
                    <td style={{ width: 70 }}>
                      <button className="btn btn-sm" onClick={() => void loadVersion(v.version)} disabled={loadedFrom === v.version && !dirty}>
                        {t('cc.ivr.load')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}

function NodeCard({
  node, index, isRoot, nodeIds, queues, errors, optionErrors, editable, onChange, onRemove,
}: {
  node: IvrNode;
  index: number;
  isRoot: boolean;
  nodeIds: string[];
  queues: { key: string; name: string }[];
  errors: FieldError[];
  optionErrors: (j: number) => FieldError[];
  editable: boolean;
  onChange: (n: IvrNode) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const setOption = (j: number, o: IvrOption) => onChange({ ...node, options: node.options.map((x, k) => (k === j ? o : x)) });
  const used = new Set(node.options.map((o) => o.digit));
  const nextDigit = ivrDigits.find((d) => !used.has(d));
  const invalid = errors.length > 0 || node.options.some((_, j) => optionErrors(j).length > 0);
  return (
    <section className={`card cc-ivr-node ${invalid ? 'cc-invalid' : ''}`} data-testid="ivr-node" data-node={node.id}>
      <div className="card-head">
        <h2 className="btn-row">
          {isRoot && <span className="pill cb-pending">{t('cc.ivr.rootBadge')}</span>}
          <input value={node.id} onChange={(e) => onChange({ ...node, id: e.target.value })} disabled={!editable} className="mono" aria-label={t('cc.ivr.menuId')} style={{ width: 160 }} data-testid="ivr-node-id" />
        </h2>
        {editable && !isRoot && (
          <button className="btn btn-ghost btn-sm" onClick={onRemove} data-testid="ivr-node-remove">
            <Icon name="x" />
            {t('cc.remove')}
          </button>
        )}
      </div>
      {errors.map((e, i) => (
        <div key={i} className="field-error" data-testid="ivr-error">
          {e.message}
        </div>
      ))}
      <div className="form-row-2">
        <label className="field">
          <span className="field-label required">{t('cc.ivr.promptZh')}</span>
          <textarea rows={2} value={node.prompt.zh} disabled={!editable} onChange={(e) => onChange({ ...node, prompt: { ...node.prompt, zh: e.target.value } })} data-testid="ivr-prompt-zh" />
        </label>
        <label className="field">
          <span className="field-label required">{t('cc.ivr.promptEn')}</span>
          <textarea rows={2} value={node.prompt.en} disabled={!editable} onChange={(e) => onChange({ ...node, prompt: { ...node.prompt, en: e.target.value } })} data-testid="ivr-prompt-en" />
        </label>
      </div>
      <table className="table cc-ivr-options">
        <thead>
          <tr>
            <th style={{ width: 90 }}>{t('cc.ivr.digit')}</th>
            <th style={{ width: 120 }}>{t('cc.ivr.targetType')}</th>
            <th>{t('cc.ivr.target')}</th>
            <th style={{ width: 50 }} />
          </tr>
        </thead>
        <tbody>
          {node.options.map((o, j) => {
            const errs = optionErrors(j);
            return (
              <tr key={j} className={errs.length ? 'cc-invalid-row' : undefined} data-testid="ivr-option">
                <td>
                  <select value={o.digit} disabled={!editable} onChange={(e) => setOption(j, { ...o, digit: e.target.value })} aria-label={t('cc.ivr.digit')} data-testid="ivr-digit">
                    {ivrDigits.map((d) => (
                      <option key={d} value={d}>
                        {d}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select
                    value={o.target.type}
                    disabled={!editable}
                    onChange={(e) =>
                      setOption(j, { ...o, target: e.target.value === 'menu' ? { type: 'menu', menu: nodeIds.find((x) => x !== node.id) ?? '' } : { type: 'queue', queue: queues[0]?.key ?? '' } })
                    }
                    aria-label={t('cc.ivr.targetType')}
                    data-testid="ivr-target-type"
                  >
                    <option value="queue">{t('cc.ivr.toQueue')}</option>
                    <option value="menu">{t('cc.ivr.toMenu')}</option>
                  </select>
                </td>
                <td>
                  {o.target.type === 'queue' ? (
                    <select value={o.target.queue} disabled={!editable} onChange={(e) => setOption(j, { ...o, target: { type: 'queue', queue: e.target.value } })} aria-label={t('cc.ivr.target')} data-testid="ivr-target">
                      {!queues.some((q) => o.target.type === 'queue' && q.key === o.target.queue) && <option value={o.target.queue}>{o.target.queue || '—'}</option>}
                      {queues.map((q) => (
                        <option key={q.key} value={q.key}>
                          {q.name} ({q.key})
                        </option>
                      ))}
                    </select>
                  ) : (
                    <select value={o.target.menu} disabled={!editable} onChange={(e) => setOption(j, { ...o, target: { type: 'menu', menu: e.target.value } })} aria-label={t('cc.ivr.target')} data-testid="ivr-target">
                      {!nodeIds.includes(o.target.menu) && <option value={o.target.menu}>{o.target.menu || '—'}</option>}
                      {nodeIds.map((id) => (
                        <option key={id} value={id}>
                          {id}
                        </option>
                      ))}
                    </select>
                  )}
                  {errs.map((e, k) => (
                    <div key={k} className="field-error" data-testid="ivr-error">
                      {e.message}
                    </div>
                  ))}
                </td>
                <td>
                  {editable && (
                    <button className="btn btn-ghost btn-icon" aria-label={t('cc.remove')} onClick={() => onChange({ ...node, options: node.options.filter((_, k) => k !== j) })}>
                      <Icon name="x" />
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {editable && (
        <button
          className="btn btn-sm"
          disabled={!nextDigit}
          onClick={() => nextDigit && onChange({ ...node, options: [...node.options, { digit: nextDigit, target: { type: 'queue', queue: queues[0]?.key ?? '' } }] })}
          data-testid="ivr-add-option"
          data-index={index}
        >
          <Icon name="plus" />
          {t('cc.ivr.addDigit')}
        </button>
      )}
    </section>
  );
}
