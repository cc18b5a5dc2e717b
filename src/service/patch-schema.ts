// The body of a PATCH from a create schema: every field optional and WITHOUT its default (zod 4 applies a
// default even inside .optional(), so `.partial()` would reset an omitted field to its default).
import { z } from 'zod';

type WithoutDefault<S> = S extends z.ZodDefault<infer I> ? I : S;
export type PatchShape<Sh extends z.ZodRawShape> = { [K in keyof Sh]: z.ZodOptional<WithoutDefault<Sh[K]> & z.ZodType> };

export function patchShapeOf<Sh extends z.ZodRawShape>(create: z.ZodObject<Sh>): PatchShape<Sh> {
  const out: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(create.shape)) out[k] = (v instanceof z.ZodDefault ? (v.unwrap() as z.ZodType) : (v as z.ZodType)).optional();
  return out as PatchShape<Sh>;
}
