// Server messages of the WFM planner, in both languages (see src/i18n/messages.ts).
import { registerMessages } from '../i18n/messages.ts';

registerMessages({
  'entity.wfm_forecast': { 'zh-CN': '预测', en: 'forecast' },
  'entity.wfm_requirement': { 'zh-CN': '人力需求', en: 'staffing requirement' },
  'entity.wfm_shift_template': { 'zh-CN': '班次模板', en: 'shift template' },
  'entity.wfm_shift_plan': { 'zh-CN': '班次方案', en: 'shift plan' },
  'entity.wfm_roster': { 'zh-CN': '排班表', en: 'roster' },
  'entity.wfm_roster_shift': { 'zh-CN': '班次', en: 'rostered shift' },
  'entity.wfm_swap': { 'zh-CN': '换班申请', en: 'swap request' },
  'wfm.no_history': { 'zh-CN': '该队列没有足够的历史话务（至少需要 {days} 天，现有 {found} 天）', en: 'Not enough call history for this series (at least {days} days needed, {found} found)' },
  'wfm.unknown_shift': { 'zh-CN': '未知的班次或班次类型：{shift}', en: 'Unknown shift or shift kind: {shift}' },
  'wfm.preferred_and_unwanted': { 'zh-CN': '{shift} 不能既是偏好又是不想要的班次', en: '{shift} cannot be both preferred and unwanted' },
  'wfm.too_many_days_off': { 'zh-CN': '每周最多选择 5 个偏好休息日', en: 'Choose at most 5 preferred days off a week' },
  'wfm.interrupted': { 'zh-CN': '运行因服务重启而中断', en: 'interrupted by restart' },
  'wfm.bad_csv': { 'zh-CN': '文件格式错误：{message}', en: 'The file is not valid: {message}' },
  'wfm.no_templates': { 'zh-CN': '没有可用的班次模板', en: 'There are no active shift templates' },
  'wfm.template_length': { 'zh-CN': '班次时长须为时段长度（{minutes} 分钟）的整数倍', en: 'The shift length must be a multiple of the interval ({minutes} minutes)' },
  'wfm.not_finished': { 'zh-CN': '计算尚未完成', en: 'The solve has not finished' },
  'wfm.no_agents': { 'zh-CN': '没有可排班的坐席', en: 'There are no agents to roster' },
  'wfm.unknown_agent': { 'zh-CN': '坐席不存在', en: 'unknown agent' },
  'wfm.not_your_shift': { 'zh-CN': '只能用自己的班次换班', en: 'You can only offer your own shift' },
  'wfm.shift_mismatch': { 'zh-CN': '对方班次不属于该坐席或不在同一排班表', en: 'The other shift is not that agent\'s or not in the same roster' },
  'wfm.swap_state': { 'zh-CN': '换班申请当前状态为 {status}，不能执行该操作', en: 'The swap request is {status}; this step is not possible' },
  'wfm.swap_breaks_rules': { 'zh-CN': '换班后违反排班规则：{rules}', en: 'After the swap the roster breaks rules: {rules}' },
  'wfm.unknown_requirement': { 'zh-CN': '人力需求不存在', en: 'unknown staffing requirement' },
  'wfm.requirement_mismatch': { 'zh-CN': '人力需求须与班次方案覆盖相同的日期（自 {from} 起 {days} 天）和时段长度（{minutes} 分钟）', en: 'The staffing requirement must cover the shift plan\'s days ({days} days from {from}) at the same interval ({minutes} minutes)' },
  'wfm.not_an_agent': { 'zh-CN': '当前用户没有关联的坐席', en: 'Your user is not linked to an agent' },
});

registerMessages({
  'error.wfm_template_exists': { 'zh-CN': '班次模板 {name} 已存在', en: 'The shift template {name} already exists' },
  'error.wfm_swap_breaks_rules': { 'zh-CN': '换班后违反排班规则：{rules}', en: 'After the swap the roster breaks rules: {rules}' },
  'error.wfm_swap_state': { 'zh-CN': '换班申请当前状态为 {status}，不能执行该操作', en: 'The swap request is {status}; this step is not possible' },
  'error.wfm_not_finished': { 'zh-CN': '计算尚未完成', en: 'The solve has not finished' },
});
