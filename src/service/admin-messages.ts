// Server messages of the service desk's admin writes (SLA policies, escalation rules, service types), both languages.
import { registerMessages } from '../i18n/messages.ts';

registerMessages({
  'entity.escalation_rule': { 'zh-CN': '升级规则', en: 'escalation rule' },
  'entity.service_type': { 'zh-CN': '服务类型', en: 'service type' },
  'admin.field.resolution_before_first_response': { 'zh-CN': '解决时限不能早于首次响应时限', en: 'The resolution target cannot be shorter than the first-response target' },
  'admin.field.unknown_calendar': { 'zh-CN': '没有这个工作日历', en: 'No such business calendar' },
  'admin.field.unknown_policy': { 'zh-CN': '没有这个 SLA 策略', en: 'No such SLA policy' },
  'admin.field.unknown_user': { 'zh-CN': '本组织没有这个在职用户', en: 'No such active user in this organization' },
  'admin.field.unknown_team': { 'zh-CN': '本组织没有这个班组', en: 'No such team in this organization' },
  'admin.field.reassign_needs_team': { 'zh-CN': '“转派班组”需要选择班组', en: 'Reassigning needs a team' },
  'admin.field.notify_needs_target': { 'zh-CN': '“通知”需要选择用户或班组', en: 'Notifying needs a user or a team' },
  'admin.field.builtin_always_active': { 'zh-CN': '内置服务类型不能停用', en: 'A built-in service type cannot be deactivated' },
  'admin.field.name_taken': { 'zh-CN': '这个名称已被使用', en: 'This name is already used' },
});
