import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import type { CreateCustomerInput, Customer } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { fieldError, splitList } from '../../components/fieldErrors.ts';
import { RegionPicker, type RegionValue } from '../../components/RegionPicker.tsx';

export function CreateCustomerDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (c: Customer) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<'person' | 'company'>('person');
  const [name, setName] = useState('');
  const [phones, setPhones] = useState('');
  const [emails, setEmails] = useState('');
  const [region, setRegion] = useState<RegionValue>({ provinceCode: null, cityCode: null, districtCode: null });
  const [street, setStreet] = useState('');
  const [tags, setTags] = useState('');
  const [source, setSource] = useState('');

  const create = useMutation({
    mutationFn: () => {
      const body: CreateCustomerInput = {
        kind,
        name,
        phones: splitList(phones),
        emails: splitList(emails),
        ...region,
        street: street.trim() || null,
        tags: splitList(tags),
        source: source.trim() || null,
      };
      return api<Customer>('/api/customers', { method: 'POST', body });
    },
    onSuccess: async (c) => {
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
      onCreated(c);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const err = (f: string) => fieldError(create.error, f);

  return (
    <Dialog
      title={t('customer.create')}
      onClose={onClose}
      footer={
        <>
          <button className="btn" type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn btn-primary" type="submit" form="create-customer" disabled={create.isPending || !name.trim()}>
            {create.isPending ? t('common.saving') : t('common.create')}
          </button>
        </>
      }
    >
      <form id="create-customer" className="form-grid" onSubmit={submit}>
        <label className="field">
          <span className="field-label">{t('customer.kindLabel')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as 'person' | 'company')}>
            <option value="person">{t('customer.kind.person')}</option>
            <option value="company">{t('customer.kind.company')}</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label required">{t('customer.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} autoFocus maxLength={100} />
          {err('name') && <span className="field-error">{err('name')}</span>}
        </label>
        <label className="field">
          <span className="field-label">{t('customer.phones')}</span>
          <input value={phones} onChange={(e) => setPhones(e.target.value)} placeholder={t('customer.listPlaceholder')} />
          {err('phones') && <span className="field-error">{err('phones')}</span>}
        </label>
        <label className="field">
          <span className="field-label">{t('customer.emails')}</span>
          <input value={emails} onChange={(e) => setEmails(e.target.value)} placeholder={t('customer.listPlaceholder')} />
          {err('emails') && <span className="field-error">{err('emails')}</span>}
        </label>
        <div className="field field-wide">
          <span className="field-label">{t('customer.region')}</span>
          <RegionPicker value={region} onChange={setRegion} />
        </div>
        <label className="field field-wide">
          <span className="field-label">{t('customer.street')}</span>
          <input value={street} onChange={(e) => setStreet(e.target.value)} maxLength={200} />
        </label>
        <label className="field">
          <span className="field-label">{t('customer.tags')}</span>
          <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder={t('customer.listPlaceholder')} />
          {err('tags') && <span className="field-error">{err('tags')}</span>}
        </label>
        <label className="field">
          <span className="field-label">{t('customer.source')}</span>
          <input value={source} onChange={(e) => setSource(e.target.value)} maxLength={50} />
        </label>
      </form>
      {create.isError && <div className="alert alert-error">{errorMessage(create.error)}</div>}
    </Dialog>
  );
}
