// Server messages of the contact center, in both languages (see src/i18n/messages.ts).
import { registerMessages } from '../i18n/messages.ts';

registerMessages({
  'entity.cc_queue': { 'zh-CN': '队列', en: 'queue' },
  'entity.cc_skill': { 'zh-CN': '技能', en: 'skill' },
  'entity.cc_agent': { 'zh-CN': '坐席', en: 'agent' },
  'entity.cc_ivr': { 'zh-CN': '语音导航版本', en: 'IVR version' },
  'entity.cc_call': { 'zh-CN': '通话', en: 'call' },
  'error.cc_queue_exists': { 'zh-CN': '队列 {key} 已存在', en: 'The queue {key} already exists' },
  'error.cc_skill_exists': { 'zh-CN': '技能 {key} 已存在', en: 'The skill {key} already exists' },
  'error.cc_agent_exists': { 'zh-CN': '分机/工号 {extension} 已被其他坐席使用', en: 'The extension {extension} belongs to another agent' },
  'error.cc_ivr_invalid': { 'zh-CN': '语音导航菜单有误', en: 'The IVR menu is not valid' },
  'error.cc_ivr_stale': { 'zh-CN': '语音导航已被他人发布了新版本（当前 {current}），请刷新后再发布', en: 'Someone published IVR version {current} meanwhile; reload and publish again' },
  'cc.state.available': { 'zh-CN': '空闲', en: 'available' },
  'cc.state.on_call': { 'zh-CN': '通话中', en: 'on call' },
  'cc.state.after_call_work': { 'zh-CN': '话后处理', en: 'after-call work' },
  'cc.state.break': { 'zh-CN': '小休', en: 'break' },
  'cc.state.offline': { 'zh-CN': '离线', en: 'offline' },
  'cc.ivr.unknown_node': { 'zh-CN': '按键指向不存在的菜单 {node}', en: 'The digit leads to the unknown menu {node}' },
  'cc.ivr.unknown_queue': { 'zh-CN': '按键指向不存在的队列 {queue}', en: 'The digit leads to the unknown queue {queue}' },
  'cc.ivr.cycle': { 'zh-CN': '菜单形成环路：{path}', en: 'The menus form a cycle: {path}' },
  'cc.ivr.duplicate_digit': { 'zh-CN': '按键 {digit} 重复', en: 'The digit {digit} is used twice' },
  'cc.ivr.duplicate_node': { 'zh-CN': '菜单编号 {node} 重复', en: 'The menu id {node} is used twice' },
  'cc.ivr.no_root': { 'zh-CN': '根菜单 {node} 不存在', en: 'The root menu {node} does not exist' },
  'cc.ivr.unreachable': { 'zh-CN': '菜单 {node} 无法从根菜单到达', en: 'The menu {node} cannot be reached from the root' },
  'cc.ivr.empty_menu': { 'zh-CN': '菜单 {node} 没有任何按键', en: 'The menu {node} has no digits' },
  'cc.unknown_skill': { 'zh-CN': '技能不存在', en: 'unknown skill' },
  'cc.unknown_queue': { 'zh-CN': '队列不存在', en: 'unknown queue' },
  'cc.unknown_team': { 'zh-CN': '班组不存在', en: 'unknown team' },
  'cc.unknown_user': { 'zh-CN': '用户不存在', en: 'unknown user' },
  'timeline.call.answered': { 'zh-CN': '来电（{queue}），等待 {wait} 秒，通话 {talk} 秒', en: 'Call ({queue}): waited {wait} s, talked {talk} s' },
  'timeline.call.abandoned': { 'zh-CN': '来电（{queue}）放弃，等待 {wait} 秒', en: 'Call ({queue}) abandoned after {wait} s' },
  'timeline.call.open': { 'zh-CN': '来电（{queue}）', en: 'Call ({queue})' },
});

registerMessages({
  'cc.kpi.queue_with_agent_grain': { 'zh-CN': '按班组或坐席统计时不能再按队列筛选', en: 'A queue filter cannot be combined with team or agent figures' },
  'cc.no_queue': { 'zh-CN': '（无队列）', en: '(no queue)' },
});
