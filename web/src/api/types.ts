// Types of the API contract, taken from the server's zod schemas (type-only: nothing server-side is bundled).
import type { z } from 'zod';
import type { contactOutput, customerOutput, timelineItem, CreateCustomerInput, UpdateCustomerInput, CreateContactInput } from '../../../src/customers/schemas.ts';
import type { UserOutput } from '../../../src/platform/create-user.ts';
import type { auditEntryOutput } from '../../../src/platform/list-audit.ts';
import type { Permission, Role } from '../../../src/platform/permissions.ts';

export type Customer = z.infer<typeof customerOutput>;
export type Contact = z.infer<typeof contactOutput>;
export type TimelineItem = z.infer<typeof timelineItem>;
export type AuditEntry = z.infer<typeof auditEntryOutput>;
export type User = UserOutput;
export type { CreateCustomerInput, UpdateCustomerInput, CreateContactInput, Permission, Role };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Me {
  user: User;
  permissions: Permission[];
  orgId: string;
}

export interface Region {
  code: string;
  name: string;
  level: 'province' | 'city' | 'district';
  children: Region[];
}

export interface ImportResult {
  id: string;
  read: number;
  created: number;
  updated: number;
  skipped: number;
  rejected: number;
  committed: boolean;
  /** One line in the caller's language saying what happened (when the server sends it). */
  summary?: string;
  /** Header columns that matched no customer field and were ignored. */
  unmappedColumns?: string[];
  encoding?: 'utf8' | 'gbk' | null;
}

export const channels = ['phone', 'sms', 'email', 'visit', 'counter', 'wechat', 'web'] as const;
export type Channel = (typeof channels)[number];
export const roles = ['admin', 'supervisor', 'agent', 'customer_manager', 'analyst'] as const satisfies readonly Role[];
