// Server messages of business calendars (工作日历), in both languages (see src/i18n/messages.ts).
import { registerMessages } from '../../i18n/messages.ts';

registerMessages({
  'entity.business_calendar': { 'zh-CN': '工作日历', en: 'business calendar' },
  'calendar.default_name': { 'zh-CN': '默认工作日历', en: 'Default business calendar' },
  'error.calendar_name_taken': { 'zh-CN': '已有名为“{name}”的工作日历', en: 'A business calendar named "{name}" already exists' },
  'calendar.issue.unknown_time_zone': { 'zh-CN': '未知的时区', en: 'Unknown time zone' },
  'calendar.issue.week_not_seven_days': { 'zh-CN': '每周须包含 7 天（周日至周六）', en: 'A week has 7 days (Sunday to Saturday)' },
  'calendar.issue.bad_time': { 'zh-CN': '时间格式应为 HH:MM（00:00–24:00）', en: 'Times are HH:MM (00:00–24:00)' },
  'calendar.issue.end_not_after_start': { 'zh-CN': '结束时间须晚于开始时间', en: 'The end must be after the start' },
  'calendar.issue.overlapping_hours': { 'zh-CN': '同一天的工作时段不能重叠', en: 'Working hours of one day must not overlap' },
  'calendar.issue.bad_date': { 'zh-CN': '日期格式应为 YYYY-MM-DD', en: 'Dates are YYYY-MM-DD' },
  'calendar.issue.no_working_hours': { 'zh-CN': '至少需要一个工作时段', en: 'At least one day needs working hours' },
  'calendar.issue.date_closed_and_open': { 'zh-CN': '同一日期不能既是休息日又是工作日', en: 'A date cannot be both closed and open' },
});
