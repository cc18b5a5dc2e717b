// Server messages of the orders domain, in both languages (see src/i18n/messages.ts).
import { registerMessages } from '../i18n/messages.ts';

registerMessages({
  'entity.order': { 'zh-CN': '订单', en: 'order' },
  'entity.product': { 'zh-CN': '商品', en: 'product' },
  'entity.order_line': { 'zh-CN': '订单行', en: 'order line' },
  'entity.reminder': { 'zh-CN': '补货提醒', en: 'replenishment reminder' },
  'error.sku_taken': { 'zh-CN': '商品编码 {sku} 已存在', en: 'The SKU {sku} already exists' },
  'error.order_no_taken': { 'zh-CN': '订单号 {orderNo} 已存在', en: 'The order number {orderNo} already exists' },
  'error.stage_backwards': {
    'zh-CN': '订单不能退回更早的阶段；如需更正，请标记为“更正”并填写说明',
    en: 'An order cannot move back to an earlier stage; mark it as a correction and add a note',
  },
  'error.return_too_many': {
    'zh-CN': '退换数量或金额超过该订单行可退的部分',
    en: 'More than what is left to return on this order line',
  },
  'error.return_already_settled': {
    'zh-CN': '该退换货申请已处理，不能再次处理',
    en: 'This return has already been settled',
  },
  'stage.received': { 'zh-CN': '已接单', en: 'Received' },
  'stage.allocated': { 'zh-CN': '已分配', en: 'Allocated' },
  'stage.in_production': { 'zh-CN': '生产/拣货中', en: 'In production / picking' },
  'stage.dispatched': { 'zh-CN': '已发货', en: 'Dispatched' },
  'stage.delivered': { 'zh-CN': '已签收', en: 'Delivered' },
  'stage.settled': { 'zh-CN': '已结算', en: 'Settled' },
  'stage.feedback': { 'zh-CN': '已回访', en: 'Customer feedback' },
  'timeline.order.create': { 'zh-CN': '下单 {orderNo}：{lines} 种商品，合计 {amount}', en: 'Order {orderNo}: {lines} products, total {amount}' },
  'timeline.order.stage': { 'zh-CN': '订单 {orderNo} 进入“{stage}”', en: 'Order {orderNo} moved to “{stage}”' },
  'timeline.order.stage_correction': { 'zh-CN': '订单 {orderNo} 更正为“{stage}”', en: 'Order {orderNo} corrected back to “{stage}”' },
  'timeline.order.return': { 'zh-CN': '退货 {sku} × {quantity}，退款 {amount}（{reason}）', en: 'Returned {sku} × {quantity}, refunded {amount} ({reason})' },
  'timeline.order.exchange': { 'zh-CN': '换货 {sku} × {quantity}（{reason}）', en: 'Exchanged {sku} × {quantity} ({reason})' },
  // A request not settled yet refunds nothing, and a rejected one never did: the summary says so.
  'timeline.order.return_requested': { 'zh-CN': '申请退货 {sku} × {quantity}（{reason}）', en: 'Return requested: {sku} × {quantity} ({reason})' },
  'timeline.order.exchange_requested': { 'zh-CN': '申请换货 {sku} × {quantity}（{reason}）', en: 'Exchange requested: {sku} × {quantity} ({reason})' },
  'timeline.order.return_rejected': { 'zh-CN': '退货申请未通过 {sku} × {quantity}（{reason}）', en: 'Return refused: {sku} × {quantity} ({reason})' },
  'timeline.order.exchange_rejected': { 'zh-CN': '换货申请未通过 {sku} × {quantity}（{reason}）', en: 'Exchange refused: {sku} × {quantity} ({reason})' },
  'reminder.task_title': { 'zh-CN': '提醒客户补货：{product}', en: 'Remind the customer to reorder: {product}' },
});

// Replenishment reminders: the message to a customer and the owner's notification (orders/jobs.ts).
registerMessages({
  'replenishment.message.subject': { 'zh-CN': '补货提醒', en: 'Time to reorder' },
  'replenishment.message.body': {
    'zh-CN': '您好！您购买的{product}预计在 {dueDate} 前后用完，如需补货请随时联系我们。',
    en: 'Hello! The {product} you bought should run out around {dueDate}. Contact us any time to reorder.',
  },
  'replenishment.task.subject': { 'zh-CN': '补货提醒任务', en: 'Replenishment reminder task' },
  'replenishment.task.body': {
    'zh-CN': '请提醒客户{customer}补货：{product}（预计 {dueDate} 用完）',
    en: 'Remind the customer {customer} to reorder {product} (due around {dueDate})',
  },
});
