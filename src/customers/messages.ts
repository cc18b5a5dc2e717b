// Server messages of the customers domain, in both languages (see src/i18n/messages.ts).
import { registerMessages } from '../i18n/messages.ts';

registerMessages({
  'error.custom_field_exists': { 'zh-CN': '自定义字段 {key} 已存在', en: 'The custom field {key} already exists' },
  'error.bad_cursor': { 'zh-CN': '分页游标无效，请从第一页重新加载', en: 'Invalid page cursor; reload from the first page' },
  'entity.custom_field': { 'zh-CN': '自定义字段', en: 'custom field' },
  'entity.territory': { 'zh-CN': '片区', en: 'territory' },
  'timeline.customer.create': { 'zh-CN': '创建了客户档案', en: 'Created the customer file' },
  'timeline.customer.update': { 'zh-CN': '修改了：{fields}', en: 'Changed: {fields}' },
  'timeline.customer.reveal': { 'zh-CN': '查看了完整联系方式', en: 'Revealed the full contact details' },
  'field.kind': { 'zh-CN': '类型', en: 'type' },
  'field.name': { 'zh-CN': '姓名', en: 'name' },
  'field.phones': { 'zh-CN': '电话', en: 'phones' },
  'field.emails': { 'zh-CN': '邮箱', en: 'emails' },
  'field.provinceCode': { 'zh-CN': '省', en: 'province' },
  'field.cityCode': { 'zh-CN': '市', en: 'city' },
  'field.districtCode': { 'zh-CN': '区县', en: 'district' },
  'field.street': { 'zh-CN': '详细地址', en: 'street' },
  'field.tags': { 'zh-CN': '标签', en: 'tags' },
  'field.custom': { 'zh-CN': '自定义字段', en: 'custom fields' },
  'field.ownerId': { 'zh-CN': '负责人', en: 'owner' },
  'field.source': { 'zh-CN': '来源', en: 'source' },
  'field.consent': { 'zh-CN': '联系许可', en: 'consent' },
});
