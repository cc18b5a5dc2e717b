// Server messages of the messaging domain, in both languages (see src/i18n/messages.ts).
import { registerMessages } from '../i18n/messages.ts';

registerMessages({
  'entity.outbox_message': { 'zh-CN': '消息', en: 'message' },
  'outbox.reason.no_consent': { 'zh-CN': '客户未同意通过该渠道接收消息', en: 'The customer has not consented to this channel' },
  'outbox.reason.no_contact_point': { 'zh-CN': '没有可用的联系方式', en: 'No contact point for this channel' },
  'outbox.reason.user_inactive': { 'zh-CN': '接收人账号已停用', en: 'The recipient account is disabled' },
  'outbox.reason.delivery_failed': { 'zh-CN': '发送失败：{error}', en: 'Delivery failed: {error}' },
  'timeline.message': { 'zh-CN': '{channel}（{status}）：{body}', en: '{channel} ({status}): {body}' },
  'outbox.channel.sms': { 'zh-CN': '短信', en: 'SMS' },
  'outbox.channel.email': { 'zh-CN': '邮件', en: 'Email' },
  'outbox.channel.wecom': { 'zh-CN': '企业微信', en: 'WeCom' },
  'outbox.channel.dingtalk': { 'zh-CN': '钉钉', en: 'DingTalk' },
  'outbox.channel.in_app': { 'zh-CN': '站内通知', en: 'In-app' },
  'outbox.status.pending': { 'zh-CN': '待发送', en: 'Pending' },
  'outbox.status.sent': { 'zh-CN': '已发送', en: 'Sent' },
  'outbox.status.failed': { 'zh-CN': '发送失败', en: 'Failed' },
  'outbox.status.suppressed': { 'zh-CN': '未发送', en: 'Not sent' },
});
