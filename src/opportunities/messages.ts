// Server messages of the service marketing domain, in both languages (see src/i18n/messages.ts).
import { registerMessages } from '../i18n/messages.ts';

registerMessages({
  'entity.opportunity': { 'zh-CN': '销售机会', en: 'opportunity' },
  'entity.commission_rule': { 'zh-CN': '提成规则', en: 'commission rule' },
  'entity.staff': { 'zh-CN': '员工', en: 'staff member' },
  'error.bad_stage_move': { 'zh-CN': '销售机会不能从“{from}”变为“{to}”', en: 'An opportunity cannot move from {from} to {to}' },
  'error.order_already_claimed': { 'zh-CN': '该订单已被另一个销售机会认领', en: 'This order already closed another opportunity' },
  'timeline.latent_need': { 'zh-CN': '发现潜在需求（{grade} 级）：{need}', en: 'Latent need found (grade {grade}): {need}' },
  'timeline.opportunity.stage': { 'zh-CN': '销售机会：{from} → {to}', en: 'Opportunity: {from} → {to}' },
  'stage.new': { 'zh-CN': '新建', en: 'new' },
  'stage.contacted': { 'zh-CN': '已联系', en: 'contacted' },
  'stage.proposal': { 'zh-CN': '已报价', en: 'proposal' },
  'stage.won': { 'zh-CN': '赢单', en: 'won' },
  'stage.lost': { 'zh-CN': '输单', en: 'lost' },
});
