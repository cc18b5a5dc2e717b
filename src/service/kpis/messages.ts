// Server messages of the service-desk KPIs.
import { registerMessages } from '../../i18n/messages.ts';

registerMessages({
  'kpi.unassigned': { 'zh-CN': '未分派', en: 'Unassigned' },
});
