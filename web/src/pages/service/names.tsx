import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useCustomerName, useUserName } from '../../api/lookups.ts';

export function CustomerCell({ id, name, link = false }: { id: string; name?: string | null; link?: boolean }) {
  const resolved = useCustomerName(id, name);
  const text = resolved ?? '…';
  if (!link) return <span title={text}>{text}</span>;
  return (
    <Link to={`/customers/${id}`} onClick={(e) => e.stopPropagation()} title={text}>
      {text}
    </Link>
  );
}

export function UserCell({ id, name }: { id: string | null; name?: string | null }) {
  const { t } = useTranslation();
  const resolved = useUserName(id, name);
  if (!id) return <span className="muted">{t('service.unassigned')}</span>;
  return <span>{resolved ?? t('service.assignedOther')}</span>;
}
