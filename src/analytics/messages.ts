// Server messages of the analytics domain, in both languages (see src/i18n/messages.ts).
import { registerMessages } from '../i18n/messages.ts';

registerMessages({
  'entity.segment': { 'zh-CN': '客户分群', en: 'segment' },
  'entity.service_tier': { 'zh-CN': '服务等级', en: 'service tier' },
  'entity.value_model_fit': { 'zh-CN': '客户价值模型', en: 'customer value model' },
  'error.segment_exists': { 'zh-CN': '客户分群 {name} 已存在', en: 'The segment {name} already exists' },
  'error.segment_has_tier': { 'zh-CN': '该分群已关联服务等级，请先删除服务等级', en: 'A service tier is attached to this segment; delete the tier first' },
  'error.tier_exists': { 'zh-CN': '服务等级代码 {code} 已存在，或该分群已有服务等级', en: 'The tier code {code} already exists, or the segment already has a tier' },
  'error.model_no_repeat_buyers': { 'zh-CN': '没有重复购买的客户，无法拟合模型', en: 'No customer bought more than once; the model cannot be fitted' },
  'error.model_no_data': { 'zh-CN': '没有可用于拟合的订单', en: 'No orders to fit the model on' },
  'error.model_did_not_converge': { 'zh-CN': '模型拟合未收敛', en: 'The model fit did not converge' },
  'error.model_invalid_input': { 'zh-CN': '模型输入数据无效', en: 'Invalid input data for the model' },
});
