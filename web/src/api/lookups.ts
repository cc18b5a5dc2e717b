import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useCan, useMe } from '../auth.tsx';
import { api } from './client.ts';
import type { Customer, ServiceType, User } from './types.ts';
import { builtinServiceTypeList } from './types.ts';

/** A customer's name when a list row carries only the id (shares the detail page's cache entry). */
export function useCustomerName(id: string | null | undefined, known?: string | null): string | null {
  const q = useQuery({
    queryKey: ['customer', id ?? ''],
    queryFn: () => api<Customer>(`/api/customers/${encodeURIComponent(id ?? '')}`),
    enabled: Boolean(id) && !known,
    staleTime: 5 * 60_000,
  });
  return known ?? q.data?.name ?? null;
}

/** The organization's users, for those who may list them (admins); others see names the server sends. */
export function useUsers() {
  const can = useCan();
  return useQuery({
    queryKey: ['users'],
    queryFn: () => api<{ items: User[] }>('/api/users'),
    enabled: can('user.manage'),
    staleTime: 5 * 60_000,
  });
}

export function useUserName(id: string | null | undefined, known?: string | null): string | null {
  const me = useMe();
  const users = useUsers();
  if (!id) return null;
  if (known) return known;
  if (id === me.user.id) return me.user.name;
  return users.data?.items.find((u) => u.id === id)?.name ?? null;
}

/** Service types with labels in the UI language; the built-in ones when the list cannot be read. */
export function useServiceTypes(): { key: string; label: string }[] {
  const { t, i18n } = useTranslation();
  const q = useQuery({ queryKey: ['service-types'], queryFn: () => api<{ items: ServiceType[] }>('/api/service-types'), staleTime: 10 * 60_000, retry: false });
  const en = i18n.language === 'en';
  // Built-in types carry the UI's own labels; an organization's own types carry theirs.
  const builtin = new Set<string>(builtinServiceTypeList);
  if (q.data?.items.length) return q.data.items.map((s) => ({ key: s.key, label: builtin.has(s.key) ? t(`service.type.${s.key}`) : en ? s.labelEn : s.labelZh }));
  return builtinServiceTypeList.map((k) => ({ key: k, label: t(`service.type.${k}`) }));
}

export function useServiceTypeLabel(): (key: string) => string {
  const types = useServiceTypes();
  return (key) => types.find((x) => x.key === key)?.label ?? key;
}
