// Types of the API contract, taken from the server's zod schemas (type-only: nothing server-side is bundled).
import type { z } from 'zod';
import type { contactOutput, customerListItem, customerOutput, timelineItem, CreateCustomerInput, UpdateCustomerInput, CreateContactInput } from '../../../src/customers/schemas.ts';
import type { UserOutput } from '../../../src/platform/create-user.ts';
import type { auditEntryOutput } from '../../../src/platform/list-audit.ts';
import type { Permission, Role } from '../../../src/platform/permissions.ts';

export type Customer = z.infer<typeof customerOutput>;
export type CustomerListItem = z.infer<typeof customerListItem>;
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

// ---- Service desk (售后服务), from src/service/schemas.ts ----
import type {
  serviceOrderOutput,
  serviceOrderEventOutput,
  callbackOutput,
  serviceTypeOutput,
  CreateServiceOrderInput,
  UpdateServiceOrderInput,
  TransitionInput,
  CallbackOutcomeInput,
  ServiceOrderView,
} from '../../../src/service/schemas.ts';
import type { serviceStatuses, priorities, slaStates, complaintSeverities, rootCauses, callbackOutcomes, serviceChannels } from '../../../src/service/tables.ts';

/** The server may add display names beside the ids (not in every version of the API yet). */
export type ServiceOrder = z.infer<typeof serviceOrderOutput>;
export type ServiceOrderEvent = z.infer<typeof serviceOrderEventOutput> & { actorName?: string | null };
export type Callback = z.infer<typeof callbackOutput>;
export type ServiceType = z.infer<typeof serviceTypeOutput>;
export type ServiceStatus = (typeof serviceStatuses)[number];
export type Priority = (typeof priorities)[number];
export type SlaState = (typeof slaStates)[number];
export type ComplaintSeverity = (typeof complaintSeverities)[number];
export type RootCause = (typeof rootCauses)[number];
export type CallbackOutcome = (typeof callbackOutcomes)[number];
export type ServiceChannel = (typeof serviceChannels)[number];
export type { CreateServiceOrderInput, UpdateServiceOrderInput, TransitionInput, CallbackOutcomeInput, ServiceOrderView };

// Runtime lists for the UI (the server's lists are in tables.ts, which the browser bundle must not import).
export const serviceOrderViews = ['mine', 'team', 'at-risk', 'breached', 'unassigned'] as const satisfies readonly ServiceOrderView[];
export const serviceStatusList = ['new', 'assigned', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'] as const satisfies readonly ServiceStatus[];
export const priorityList = ['low', 'normal', 'high', 'urgent'] as const satisfies readonly Priority[];
export const severityList = ['low', 'medium', 'high', 'critical'] as const satisfies readonly ComplaintSeverity[];
export const rootCauseList = ['product_quality', 'delivery', 'installation', 'service_attitude', 'billing', 'policy', 'other'] as const satisfies readonly RootCause[];
export const callbackOutcomeList = ['satisfied', 'not_satisfied', 'unreachable', 'reopen'] as const satisfies readonly CallbackOutcome[];
export const serviceChannelList = ['phone', 'sms', 'email', 'visit', 'counter', 'wechat', 'web', 'app'] as const satisfies readonly ServiceChannel[];
export const builtinServiceTypeList = ['repair', 'maintenance', 'installation', 'inquiry', 'complaint'] as const;

// ---- Orders (订单), from src/orders/schemas.ts ----
import type { orderListItem, orderOutput, purchasesSummaryOutput, boardOutput, productOutput, CreateOrderInput } from '../../../src/orders/schemas.ts';
import type { orderStages } from '../../../src/orders/tables.ts';
export type OrderListItem = z.infer<typeof orderListItem>;
export type Order = z.infer<typeof orderOutput>;
export type PurchasesSummary = z.infer<typeof purchasesSummaryOutput>;
export type StageBoard = z.infer<typeof boardOutput>;
export type Product = z.infer<typeof productOutput>;
export type OrderStage = (typeof orderStages)[number];
export type { CreateOrderInput };
export const orderStageList = ['received', 'allocated', 'in_production', 'dispatched', 'delivered', 'settled', 'feedback'] as const satisfies readonly OrderStage[];

// ---- Messaging outbox, from src/messaging/list-outbox.ts ----
import type { outboxMessageOutput } from '../../../src/messaging/list-outbox.ts';
export type OutboxMessage = z.infer<typeof outboxMessageOutput>;

// ---- Replenishment reminders (补货提醒), from src/orders/list-reminders.ts ----
import type { reminderOutput } from '../../../src/orders/list-reminders.ts';
export type Reminder = z.infer<typeof reminderOutput>;

// ---- Service marketing (服务营销): latent needs, opportunities, commissions, from src/opportunities/schemas.ts ----
import type {
  opportunityOutput,
  opportunityDetail,
  boardOutput as opportunityBoardOutput,
  commissionsOutput,
  RecordNeedInput,
  UpdateOpportunityInput,
} from '../../../src/opportunities/schemas.ts';
import type { OpportunityStage, NeedGrade } from '../../../src/opportunities/tables.ts';
export type Opportunity = z.infer<typeof opportunityOutput>;
export type OpportunityDetail = z.infer<typeof opportunityDetail>;
export type OpportunityBoard = z.infer<typeof opportunityBoardOutput>;
export type Commissions = z.infer<typeof commissionsOutput>;
export type { RecordNeedInput, UpdateOpportunityInput, OpportunityStage, NeedGrade };
export const opportunityStageList = ['new', 'contacted', 'proposal', 'won', 'lost'] as const satisfies readonly OpportunityStage[];
export const needGradeList = ['A', 'B', 'C'] as const satisfies readonly NeedGrade[];

// ---- Service desk admin screens and KPI dashboards ----
import type { slaPolicyOutput, escalationRuleOutput, serviceSettingsOutput, CreateSlaPolicyInput, CreateEscalationRuleInput, CreateServiceTypeInput, ServiceSettingsInput } from '../../../src/service/schemas.ts';
import type { UpdateSlaPolicyInput } from '../../../src/service/update-sla-policy.ts';
import type { UpdateEscalationRuleInput } from '../../../src/service/update-escalation-rule.ts';
import type { UpdateServiceTypeInput } from '../../../src/service/update-service-type.ts';
import type { BusinessCalendarOutput } from '../../../src/service/calendar/calendar-rules.ts';
import type { UpdateBusinessCalendarInput } from '../../../src/service/calendar/update-business-calendar.ts';
import type { CreateBusinessCalendarInput } from '../../../src/service/calendar/create-business-calendar.ts';
import type { ServiceKpisOutput, KpiRow, KpiGroupBy } from '../../../src/service/kpis/service-kpis.ts';
import type { commissionRuleOutput, settingsOutput as pipelineSettingsOutput, kpiOutput as opportunityKpiOutput, CommissionRuleInput, UpdateCommissionRuleInput, SettingsInput as PipelineSettingsInput } from '../../../src/opportunities/schemas.ts';
import type { TeamOutput } from '../../../src/platform/teams.ts';
export type SlaPolicy = z.infer<typeof slaPolicyOutput>;
export type EscalationRule = z.infer<typeof escalationRuleOutput>;
export type ServiceSettings = z.infer<typeof serviceSettingsOutput>;
export type BusinessCalendar = BusinessCalendarOutput;
export type CommissionRule = z.infer<typeof commissionRuleOutput>;
export type PipelineSettings = z.infer<typeof pipelineSettingsOutput>;
export type OpportunityKpis = z.infer<typeof opportunityKpiOutput>;
export type Team = TeamOutput;
export type {
  CreateSlaPolicyInput,
  UpdateSlaPolicyInput,
  CreateEscalationRuleInput,
  UpdateEscalationRuleInput,
  CreateServiceTypeInput,
  UpdateServiceTypeInput,
  ServiceSettingsInput,
  UpdateBusinessCalendarInput,
  CreateBusinessCalendarInput,
  ServiceKpisOutput,
  KpiRow,
  KpiGroupBy,
  CommissionRuleInput,
  UpdateCommissionRuleInput,
  PipelineSettingsInput,
};
export const escalationActionList = ['notify', 'raise_priority', 'reassign_team'] as const;
export const kpiGroupByList = ['none', 'team', 'assignee', 'type'] as const satisfies readonly KpiGroupBy[];
import type { CustomerReturnOutput } from '../../../src/orders/list-customer-returns.ts';
export type CustomerReturn = CustomerReturnOutput;
import type { CustomerOrderOutput } from '../../../src/orders/list-customer-orders.ts';
import type { OrderLineOutput, RecordReturnInput } from '../../../src/orders/schemas.ts';
/** An order of the customer file's purchases panel, with its lines and what each may still return. */
export type CustomerOrder = CustomerOrderOutput;
export type OrderLine = OrderLineOutput;
export type { RecordReturnInput };
