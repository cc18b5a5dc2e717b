// Local calendar date and hour of an instant in an IANA time zone (Intl, no clock read): the period
// a daily or hourly job acts for in an organization's zone (default Asia/Shanghai).

/** The calendar date (YYYY-MM-DD) at `at` in time zone `tz`: the period of a daily job in an organization's zone. */
export function localDate(at: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The hour (0–23) at `at` in time zone `tz`: for hourly fan-outs that act when an organization's local hour is due. */
export function localHour(at: Date, tz: string): number {
  const h = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', hourCycle: 'h23' }).format(at);
  return Number(h);
}
