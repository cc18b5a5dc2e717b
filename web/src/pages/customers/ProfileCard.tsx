import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage } from '../../api/client.ts';
import { channels, type Customer, type UpdateCustomerInput } from '../../api/types.ts';
import { useCan } from '../../auth.tsx';
import { Icon } from '../../components/Icon.tsx';
import { fieldError, splitList } from '../../components/fieldErrors.ts';
import { RegionPicker, type RegionValue } from '../../components/RegionPicker.tsx';
import { formatDateTime } from '../../format.ts';

interface Draft {
  kind: 'person' | 'company';
  name: string;
  phones: string;
  emails: string;
  region: RegionValue;
  street: string;
  tags: string;
  source: string;
  consent: Record<string, boolean>;
}

function draftOf(c: Customer): Draft {
  return {
    kind: c.kind,
    name: c.name,
    phones: c.phones.join(', '),
    emails: c.emails.join(', '),
    region: { provinceCode: c.provinceCode, cityCode: c.cityCode, districtCode: c.districtCode },
    street: c.street ?? '',
    tags: c.tags.join(', '),
    source: c.source ?? '',
    consent: { ...c.consent },
  };
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Only the fields that changed, plus the version that was read (a moved version is a 409). */
function patchOf(c: Customer, d: Draft): UpdateCustomerInput {
  const p: UpdateCustomerInput = { version: c.version };
  if (d.kind !== c.kind) p.kind = d.kind;
  if (d.name.trim() !== c.name) p.name = d.name.trim();
  if (!c.masked) {
    const phones = splitList(d.phones);
    const emails = splitList(d.emails);
    if (!sameList(phones, c.phones)) p.phones = phones;
    if (!sameList(emails, c.emails)) p.emails = emails;
  }
  if (d.region.provinceCode !== c.provinceCode || d.region.cityCode !== c.cityCode || d.region.districtCode !== c.districtCode) {
    p.provinceCode = d.region.provinceCode;
    p.cityCode = d.region.cityCode;
    p.districtCode = d.region.districtCode;
  }
  if ((d.street.trim() || null) !== c.street) p.street = d.street.trim() || null;
  const tags = splitList(d.tags);
  if (!sameList(tags, c.tags)) p.tags = tags;
  if ((d.source.trim() || null) !== c.source) p.source = d.source.trim() || null;
  if (channels.some((ch) => Boolean(d.consent[ch]) !== Boolean(c.consent[ch]))) {
    p.consent = Object.fromEntries(channels.map((ch) => [ch, Boolean(d.consent[ch])]));
  }
  return p;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="desc-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function isCustomer(v: unknown): v is Customer {
  return typeof v === 'object' && v !== null && 'id' in v && 'version' in v && 'name' in v;
}

export function ProfileCard({ customer: c }: { customer: Customer }) {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [conflict, setConflict] = useState<{ message: string; current: Customer | null } | null>(null);

  const save = useMutation({
    mutationFn: (d: Draft) => api<Customer>(`/api/customers/${encodeURIComponent(c.id)}`, { method: 'PATCH', body: patchOf(c, d) }),
    onSuccess: async (updated) => {
      queryClient.setQueryData(['customer', c.id], updated);
      setDraft(null);
      setConflict(null);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['customer', c.id, 'timeline'] }),
        queryClient.invalidateQueries({ queryKey: ['customers'] }),
      ]);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409) {
        setConflict({ message: e.body.message, current: isCustomer(e.body.current) ? e.body.current : null });
      }
    },
  });

  // Take the other person's version: show it and restart editing from it (our unsaved edits are dropped).
  const reloadLatest = async () => {
    let latest = conflict?.current ?? null;
    if (!latest) latest = await api<Customer>(`/api/customers/${encodeURIComponent(c.id)}`);
    queryClient.setQueryData(['customer', c.id], latest);
    setConflict(null);
    save.reset();
    setDraft(draft ? draftOf(latest) : null);
    await queryClient.invalidateQueries({ queryKey: ['customer', c.id, 'timeline'] });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) save.mutate(draft);
  };
  const err = (f: string) => fieldError(save.error, f);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => (d ? { ...d, [k]: v } : d));

  const consentOn = channels.filter((ch) => c.consent[ch]);

  return (
    <section className="card profile-card">
      <div className="card-head">
        <h2>{t('customer.profile')}</h2>
        {!draft && can('customer.write') && (
          <button className="btn btn-sm" onClick={() => setDraft(draftOf(c))} data-testid="customer-edit">
            <Icon name="edit" />
            {t('common.edit')}
          </button>
        )}
      </div>

      {conflict && (
        <div className="alert alert-warn" role="alert" data-testid="conflict">
          <div>{conflict.message}</div>
          <button className="btn btn-sm" onClick={() => void reloadLatest()}>
            <Icon name="refresh" />
            {t('customer.reloadLatest')}
          </button>
        </div>
      )}

      {!draft ? (
        <dl className="desc">
          <Row label={t('customer.phones')}>
            {c.phones.length ? (
              <div className="stack">
                {c.phones.map((p) => (
                  <span key={p} className="mono" data-testid="customer-phone">
                    {p}
                  </span>
                ))}
              </div>
            ) : (
              <span className="muted">—</span>
            )}
          </Row>
          <Row label={t('customer.emails')}>
            {c.emails.length ? (
              <div className="stack">
                {c.emails.map((e) => (
                  <span key={e} className="mono">
                    {e}
                  </span>
                ))}
              </div>
            ) : (
              <span className="muted">—</span>
            )}
          </Row>
          <Row label={t('customer.region')}>{c.regionName || <span className="muted">—</span>}</Row>
          <Row label={t('customer.street')}>{c.street || <span className="muted">—</span>}</Row>
          <Row label={t('customer.tags')}>
            {c.tags.length ? (
              <span className="tags">
                {c.tags.map((tag) => (
                  <span key={tag} className="tag">
                    {tag}
                  </span>
                ))}
              </span>
            ) : (
              <span className="muted">—</span>
            )}
          </Row>
          <Row label={t('customer.owner')}>{c.ownerName || <span className="muted">—</span>}</Row>
          <Row label={t('customer.source')}>{c.source || <span className="muted">—</span>}</Row>
          <Row label={t('customer.consent')}>
            {consentOn.length ? consentOn.map((ch) => t(`channel.${ch}`)).join('、') : <span className="muted">{t('customer.noConsent')}</span>}
          </Row>
          {Object.entries(c.custom).map(([k, v]) => (
            <Row key={k} label={k}>
              {typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)}
            </Row>
          ))}
          <Row label={t('customer.updatedAt')}>
            <span className="mono muted">{formatDateTime(c.updatedAt)}</span>
            <span className="muted"> · v{c.version}</span>
          </Row>
        </dl>
      ) : (
        <form className="form-stack" onSubmit={submit}>
          <div className="form-row-2">
            <label className="field">
              <span className="field-label">{t('customer.kindLabel')}</span>
              <select value={draft.kind} onChange={(e) => set('kind', e.target.value as Draft['kind'])}>
                <option value="person">{t('customer.kind.person')}</option>
                <option value="company">{t('customer.kind.company')}</option>
              </select>
            </label>
            <label className="field">
              <span className="field-label required">{t('customer.name')}</span>
              <input value={draft.name} onChange={(e) => set('name', e.target.value)} maxLength={100} data-testid="edit-name" />
              {err('name') && <span className="field-error">{err('name')}</span>}
            </label>
          </div>
          <label className="field">
            <span className="field-label">{t('customer.phones')}</span>
            <input value={draft.phones} onChange={(e) => set('phones', e.target.value)} disabled={c.masked} placeholder={t('customer.listPlaceholder')} />
            {c.masked && <span className="hint">{t('customer.maskedReadonly')}</span>}
            {err('phones') && <span className="field-error">{err('phones')}</span>}
          </label>
          <label className="field">
            <span className="field-label">{t('customer.emails')}</span>
            <input value={draft.emails} onChange={(e) => set('emails', e.target.value)} disabled={c.masked} placeholder={t('customer.listPlaceholder')} />
            {err('emails') && <span className="field-error">{err('emails')}</span>}
          </label>
          <div className="field">
            <span className="field-label">{t('customer.region')}</span>
            <RegionPicker value={draft.region} onChange={(v) => set('region', v)} />
          </div>
          <label className="field">
            <span className="field-label">{t('customer.street')}</span>
            <input value={draft.street} onChange={(e) => set('street', e.target.value)} maxLength={200} />
          </label>
          <label className="field">
            <span className="field-label">{t('customer.tags')}</span>
            <input value={draft.tags} onChange={(e) => set('tags', e.target.value)} placeholder={t('customer.listPlaceholder')} />
            {err('tags') && <span className="field-error">{err('tags')}</span>}
          </label>
          <label className="field">
            <span className="field-label">{t('customer.source')}</span>
            <input value={draft.source} onChange={(e) => set('source', e.target.value)} maxLength={50} />
          </label>
          <div className="field">
            <span className="field-label">{t('customer.consent')}</span>
            <div className="checks">
              {channels.map((ch) => (
                <label key={ch} className="check">
                  <input type="checkbox" checked={Boolean(draft.consent[ch])} onChange={(e) => set('consent', { ...draft.consent, [ch]: e.target.checked })} />
                  {t(`channel.${ch}`)}
                </label>
              ))}
            </div>
          </div>
          {save.isError && !conflict && <div className="alert alert-error">{errorMessage(save.error)}</div>}
          <div className="form-actions">
            <button
              type="button"
              className="btn"
              onClick={() => {
                setDraft(null);
                setConflict(null);
                save.reset();
              }}
            >
              {t('common.cancel')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={save.isPending || !draft.name.trim() || Boolean(conflict)} data-testid="customer-save">
              {save.isPending ? t('common.saving') : t('common.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
