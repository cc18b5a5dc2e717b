import type { Me, Permission } from './api/types.ts';

/** The sections of the app; the sidebar and the routes both come from this list, so there are no dead links. */
export interface Section {
  path: string;
  labelKey: string;
  icon: string;
  permission: Permission;
}

export const sections: Section[] = [
  { path: '/customers', labelKey: 'nav.customers', icon: 'users', permission: 'customer.read' },
  { path: '/service', labelKey: 'nav.service', icon: 'wrench', permission: 'service.read' },
  { path: '/callbacks', labelKey: 'nav.callbacks', icon: 'phone', permission: 'service.read' },
  { path: '/opportunities', labelKey: 'nav.opportunities', icon: 'kanban', permission: 'opportunity.read' },
  { path: '/commissions', labelKey: 'nav.commissions', icon: 'coins', permission: 'commission.read' },
  { path: '/orders', labelKey: 'nav.orders', icon: 'truck', permission: 'order.read' },
  { path: '/reminders', labelKey: 'nav.reminders', icon: 'bell', permission: 'order.read' },
  { path: '/outbox', labelKey: 'nav.outbox', icon: 'send', permission: 'outbox.read' },
  { path: '/imports', labelKey: 'nav.import', icon: 'upload', permission: 'customer.import' },
  { path: '/audit', labelKey: 'nav.audit', icon: 'shield', permission: 'audit.read' },
  { path: '/users', labelKey: 'nav.users', icon: 'user-cog', permission: 'user.manage' },
  { path: '/contact-center/wallboard', labelKey: 'cc.nav.wallboard', icon: 'cc-monitor', permission: 'contact_center.read' },
  { path: '/contact-center/kpis', labelKey: 'cc.nav.kpis', icon: 'cc-chart', permission: 'contact_center.read' },
  { path: '/contact-center/queues', labelKey: 'cc.nav.queues', icon: 'cc-headset', permission: 'contact_center.read' },
  { path: '/contact-center/ivr', labelKey: 'cc.nav.ivr', icon: 'cc-ivr', permission: 'contact_center.read' },
  { path: '/service-settings', labelKey: 'nav.serviceSettings', icon: 'settings', permission: 'service.manage' },
  { path: '/service-kpis', labelKey: 'nav.serviceKpis', icon: 'chart', permission: 'service.kpi' },
  { path: '/commission-rules', labelKey: 'nav.commissionRules', icon: 'coins', permission: 'commission.manage' },
  { path: '/analytics', labelKey: 'nav.analytics', icon: 'chart', permission: 'analytics.read' },
  { path: '/wfm', labelKey: 'nav.wfm', icon: 'calendar', permission: 'wfm.read' },
  { path: '/my-schedule', labelKey: 'nav.mySchedule', icon: 'calendar', permission: 'wfm.read_own' },
  { path: '/contact-center/me', labelKey: 'cc.nav.mine', icon: 'cc-headset', permission: 'contact_center.read_own' },
];

export function visibleSections(me: Me): Section[] {
  return sections.filter((s) => me.permissions.includes(s.permission));
}
