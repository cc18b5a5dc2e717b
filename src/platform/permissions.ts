// Roles and permissions, defined in one place. Later domains add their permissions here
// and grant them to roles; routes and use cases only ever ask `can(actor, permission)`.

export const roles = ['admin', 'supervisor', 'agent', 'customer_manager', 'analyst'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'customer.read',
  'customer.write',
  'customer.pii', // sees full phones and emails everywhere (未脱敏)
  'customer.reveal', // may reveal one customer's full personal data, audited
  'customer.import',
  'customer.export',
  'contact.write',
  'user.manage',
  'audit.read',
  'settings.manage',
  'outbox.read', // sees the messaging outbox (SMS, email, notifications written for sending)
  'service.read', // service orders, complaints, callbacks (售后服务单)
  'service.write',
  'service.manage', // SLA policies, escalation rules, service types and settings
  'service.kpi', // service-desk KPIs (服务台指标)
  'order.read',
  'order.write',
  'order.import',
  'product.write',
  'replenishment.run',
  'opportunity.read', // latent needs and opportunities (服务营销)
  'opportunity.write',
  'commission.read', // own commission ledger
  'commission.read_all', // anyone's ledger and the service marketing KPIs
  'commission.manage', // commission rules and pipeline settings
  'contact_center.read', // queues, agents, IVR, calls, KPIs of everyone, wallboard (呼叫中心)
  'contact_center.read_own', // own agent record, own calls and KPIs, own state changes
  'contact_center.manage', // queues, skills, agents, IVR menus, contact center settings
  'cti.ingest', // the PBX integration: post CTI call events and agent states
  'analytics.read', // customer value analyses: Pareto, RFM, CLV, key accounts, segments, tiers (客户价值分析)
  'analytics.manage', // recompute, segments, service tiers, analytics settings
  'wfm.read', // forecasts, requirements, shift plans, rosters, adherence of everyone (排班查看)
  'wfm.plan', // create forecasts, shift templates, plans and rosters, approve swaps, run what-if simulations (排班计划)
  'wfm.read_own', // own schedule; request and accept shift swaps
] as const;
export type Permission = (typeof permissions)[number];

/** 数据权限: which customers a role sees. */
export type DataScope = 'all' | 'territory';

interface RoleDef {
  permissions: readonly Permission[];
  customerScope: DataScope;
}

export const roleDefs: Record<Role, RoleDef> = {
  admin: { permissions: permissions, customerScope: 'all' },
  supervisor: {
    permissions: ['customer.read', 'customer.write', 'customer.pii', 'customer.reveal', 'customer.import', 'customer.export', 'contact.write', 'outbox.read',
      'service.read', 'service.write', 'service.manage', 'service.kpi',
      'contact_center.read', 'contact_center.read_own', 'contact_center.manage', 'cti.ingest',
      'wfm.read', 'wfm.plan', 'wfm.read_own',
      'order.read', 'order.write', 'order.import', 'product.write', 'replenishment.run',
      'opportunity.read', 'opportunity.write', 'commission.read', 'commission.read_all',
      'analytics.read', 'analytics.manage'],
    customerScope: 'all',
  },
  agent: {
    permissions: ['customer.read', 'customer.write', 'customer.reveal', 'contact.write', 'service.read', 'service.write', 'order.read', 'order.write',
      'contact_center.read_own',
      'wfm.read_own',
      'opportunity.read', 'opportunity.write', 'commission.read'],
    customerScope: 'all',
  },
  customer_manager: {
    permissions: ['customer.read', 'customer.write', 'customer.reveal', 'customer.export', 'contact.write', 'service.read', 'service.write', 'order.read', 'order.write',
      'opportunity.read', 'opportunity.write', 'commission.read',
      'analytics.read'],
    customerScope: 'territory',
  },
  analyst: {
    permissions: [
      'contact_center.read',
      'customer.read', 'customer.export', 'service.read', 'service.kpi', 'order.read', 'opportunity.read', 'commission.read_all',
      'wfm.read',
      'analytics.read', 'analytics.manage'],
    customerScope: 'all',
  },
};

export function isRole(s: string): s is Role {
  return (roles as readonly string[]).includes(s);
}

export function roleHas(role: Role, permission: Permission): boolean {
  return roleDefs[role].permissions.includes(permission);
}
