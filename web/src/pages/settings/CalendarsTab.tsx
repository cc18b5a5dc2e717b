// 工作日历: working hours per weekday, China's published holidays and make-up working days (调休) on or off,
// and the organization's own closed and open dates. The SLA clock counts only business time on these calendars.
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import type { BusinessCalendar, CreateBusinessCalendarInput, UpdateBusinessCalendarInput } from '../../api/types.ts';
import { splitList } from '../../components/fieldErrors.ts';
import { FieldErr, SaveError, conflictVersion } from './adminKit.tsx';
import { useCalendars } from './SlaPoliciesTab.tsx';

type Week = BusinessCalendar['week'];

/** "09:00-12:00, 13:00-18:00" ⇄ spans; what does not parse goes to the server as typed, to get the field's error. */
export function weekDayText(spans: Week[number]): string {
  return spans.map((s) => `${s.start}-${s.end}`).join(', ');
}
export function parseWeekDay(text: string): Week[number] {
  return splitList(text).map((part) => {
    const [start = '', end = ''] = part.split(/\s*[-–~～]\s*/);
    return { start: start.trim(), end: end.trim() };
  });
}

const weekdayOrder = [1, 2, 3, 4, 5, 6, 0];

export function CalendarsTab() {
  const { t } = useTranslation();
  const calendars = useCalendars();
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const items = calendars.data?.items ?? [];
  const current = creating ? null : (items.find((c) => (c.id ?? 'default') === selected) ?? items[0] ?? null);
  return (
    <div className="detail-grid">
      <section className="card card-flush">
        <div className="toolbar">
          <span className="strong">{t('admin.cal.list')}</span>
          <span className="toolbar-spacer" />
          <button className="btn btn-sm" onClick={() => setCreating(true)} data-testid="cal-new">
            {t('admin.cal.new')}
          </button>
        </div>
        {calendars.isError && <div className="alert alert-error">{errorMessage(calendars.error)}</div>}
        <table className="table table-click">
          <tbody>
            {items.map((c) => (
              <tr
                key={c.id ?? 'default'}
                className={!creating && current === c ? 'active' : undefined}
                onClick={() => {
                  setCreating(false);
                  setSelected(c.id ?? 'default');
                }}
                data-testid="cal-row"
              >
                <td className="strong">{c.name}</td>
                <td className="muted">{c.isDefault ? t('admin.cal.default') : ''}</td>
                <td className="muted small">{c.timezone}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {(creating || current) && <CalendarEditor key={creating ? 'new' : `${current?.id ?? 'default'}-${current?.version}`} calendar={creating ? null : current} onSaved={(c) => {
        setCreating(false);
        setSelected(c.id ?? 'default');
      }} />}
    </div>
  );
}

function CalendarEditor({ calendar, onSaved }: { calendar: BusinessCalendar | null; onSaved: (c: BusinessCalendar) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(calendar?.name ?? '');
  const [timezone, setTimezone] = useState(calendar?.timezone ?? 'Asia/Shanghai');
  const [days, setDays] = useState<string[]>(() => (calendar?.week ?? [[], ...Array.from({ length: 5 }, () => [{ start: '09:00', end: '18:00' }]), []]).map(weekDayText));
  const [useChina, setUseChina] = useState(calendar?.useChinaHolidays ?? true);
  const [added, setAdded] = useState((calendar?.addedHolidays ?? []).join('\n'));
  const [removed, setRemoved] = useState((calendar?.removedHolidays ?? []).join('\n'));
  const [workdays, setWorkdays] = useState((calendar?.addedWorkdays ?? []).join('\n'));
  const [isDefault, setIsDefault] = useState(calendar?.isDefault ?? false);
  const [version, setVersion] = useState(calendar?.version ?? 0);
  useEffect(() => setVersion(calendar?.version ?? 0), [calendar?.version]);

  const save = useMutation({
    mutationFn: () => {
      const fields = {
        name: name.trim(),
        timezone: timezone.trim(),
        week: days.map(parseWeekDay),
        useChinaHolidays: useChina,
        addedHolidays: splitList(added),
        removedHolidays: splitList(removed),
        addedWorkdays: splitList(workdays),
      };
      if (!calendar) return api<BusinessCalendar>('/api/settings/business-calendars', { method: 'POST', body: fields satisfies CreateBusinessCalendarInput });
      return api<BusinessCalendar>(`/api/settings/business-calendars/${calendar.id ?? 'default'}`, {
        method: 'PUT',
        body: { ...fields, isDefault, version } satisfies UpdateBusinessCalendarInput,
      });
    },
    onSuccess: async (c) => {
      await queryClient.invalidateQueries({ queryKey: ['business-calendars'] });
      onSaved(c);
    },
    onError: async (e) => {
      const v = conflictVersion(e);
      if (v !== null) {
        setVersion(v);
        await queryClient.invalidateQueries({ queryKey: ['business-calendars'] });
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const err = save.error;
  const eff = calendar?.effective;
  return (
    <section className="card">
      <form className="form-grid" onSubmit={submit} data-testid="cal-form">
        <label className="field">
          <span className="field-label required">{t('admin.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} data-testid="cal-name" />
          <FieldErr error={err} field="name" />
        </label>
        <label className="field">
          <span className="field-label required">{t('admin.cal.timezone')}</span>
          <input value={timezone} onChange={(e) => setTimezone(e.target.value)} maxLength={64} />
          <FieldErr error={err} field="timezone" />
        </label>
        <div className="field field-wide">
          <span className="field-label">{t('admin.cal.week')}</span>
          <span className="hint muted">{t('admin.cal.weekHint')}</span>
          {weekdayOrder.map((d) => (
            <label key={d} className="input-group">
              <span style={{ width: 56, display: 'inline-block' }}>{t(`admin.cal.weekdays.${d}`)}</span>
              <input
                value={days[d]}
                onChange={(e) => setDays((prev) => prev.map((x, i) => (i === d ? e.target.value : x)))}
                placeholder={t('admin.cal.closed')}
                data-testid={`cal-day-${d}`}
              />
              <FieldErr error={err} field={`week.${d}`} />
            </label>
          ))}
          <FieldErr error={err} field="week" />
        </div>
        <label className="check field-wide">
          <input type="checkbox" checked={useChina} onChange={(e) => setUseChina(e.target.checked)} />
          {t('admin.cal.useChina')}
        </label>
        <label className="field">
          <span className="field-label">{t('admin.cal.addedHolidays')}</span>
          <textarea rows={3} value={added} onChange={(e) => setAdded(e.target.value)} placeholder="2026-06-18" />
          <FieldErr error={err} field="addedHolidays" />
        </label>
        <label className="field">
          <span className="field-label">{t('admin.cal.addedWorkdays')}</span>
          <textarea rows={3} value={workdays} onChange={(e) => setWorkdays(e.target.value)} placeholder="2026-10-10" />
          <FieldErr error={err} field="addedWorkdays" />
        </label>
        <label className="field">
          <span className="field-label">{t('admin.cal.removedHolidays')}</span>
          <textarea rows={3} value={removed} onChange={(e) => setRemoved(e.target.value)} placeholder="2026-10-01" />
          <FieldErr error={err} field="removedHolidays" />
        </label>
        {calendar && (
          <label className="check check-block">
            <input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault(e.target.checked)} disabled={calendar.isDefault} />
            {t('admin.cal.makeDefault')}
          </label>
        )}
        <div className="form-actions field-wide">
          <button className="btn btn-primary" type="submit" disabled={save.isPending} data-testid="cal-save">
            {save.isPending ? t('common.saving') : calendar ? t('common.save') : t('common.create')}
          </button>
        </div>
      </form>
      <SaveError error={err} />
      {eff && (
        <div className="stack" data-testid="cal-effective">
          <h3 className="small strong">
            {t('admin.cal.effective', { from: eff.years.from, to: eff.years.to })}
          </h3>
          {eff.missingYears.length > 0 && <div className="alert alert-warn">{t('admin.cal.missingYears', { years: eff.missingYears.join(', ') })}</div>}
          <div className="small">
            <span className="muted">{t('admin.cal.holidays', { n: eff.holidays.length })}</span>
            <span className="mono">{eff.holidays.join(' ')}</span>
          </div>
          <div className="small">
            <span className="muted">{t('admin.cal.workdays', { n: eff.workdays.length })}</span>
            <span className="mono">{eff.workdays.join(' ')}</span>
          </div>
        </div>
      )}
    </section>
  );
}
