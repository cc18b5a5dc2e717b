import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Region } from './types.ts';

/** The GB/T 2260 tree; public data that never changes during a session. */
export function useRegions() {
  return useQuery({
    queryKey: ['regions'],
    queryFn: () => api<Region[]>('/api/regions'),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

export function findRegion(tree: Region[] | undefined, code: string | null | undefined): Region | undefined {
  if (!tree || !code) return undefined;
  for (const p of tree) {
    if (p.code === code) return p;
    for (const c of p.children) {
      if (c.code === code) return c;
      for (const d of c.children) if (d.code === code) return d;
    }
  }
  return undefined;
}
