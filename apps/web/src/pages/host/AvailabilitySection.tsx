import type { AvailabilityDto, AvailabilityRequest, DateOverrideDto, WeekdayName, WeeklyRuleDto } from '@vidivo/contracts';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, authed, describeError } from '../../api';
import { Alert } from '../Layout';
import { WEEK, endForApi, endForInput, timeZoneChoices } from './schedule-time';
import { visitorTimeZone } from '../../time';

interface HoursRow {
  key: number;
  start: string;
  /** As the time input holds it: 00:00 is midnight at the day's end. */
  end: string;
}

interface DayHours {
  on: boolean;
  rows: HoursRow[];
}

interface AvailabilityForm {
  timezone: string;
  rate: string;
  windowMinutes: string;
  slotMinutes: string;
  noticeMinutes: string;
  bufferMinutes: string;
  week: Record<WeekdayName, DayHours>;
  /** Not edited here, but sent back as they came so saving loses nothing. */
  dateOverrides: DateOverrideDto[];
}

let lastKey = 0;
const row = (start = '09:00', end = '17:00'): HoursRow => ({ key: ++lastKey, start, end: endForInput(end) });

function toForm(saved: AvailabilityDto | null, fallbackZone: string): AvailabilityForm {
  const week = Object.fromEntries(WEEK.map(({ day }) => [day, { on: false, rows: [] as HoursRow[] }])) as Record<WeekdayName, DayHours>;
  for (const rule of saved?.weekly ?? []) {
    week[rule.day].on = true;
    week[rule.day].rows.push(row(rule.start, rule.end));
  }
  return {
    timezone: saved?.timezone ?? fallbackZone,
    rate: saved?.rate_per_minute ?? '2.50',
    windowMinutes: String(saved?.window_size_minutes ?? 10),
    slotMinutes: String(saved?.slot_minutes ?? 60),
    noticeMinutes: String(saved?.min_notice_minutes ?? 0),
    bufferMinutes: String(saved?.buffer_minutes ?? 0),
    week,
    dateOverrides: saved?.date_overrides ?? [],
  };
}

/** The request, or what is wrong in words. */
function toRequest(form: AvailabilityForm): AvailabilityRequest | string {
  const weekly: WeeklyRuleDto[] = [];
  for (const { day, name } of WEEK) {
    const hours = form.week[day];
    if (!hours.on) continue;
    for (const { start, end } of hours.rows) {
      if (!start || !end) return `${name}: please enter both times.`;
      const rule = { day, start: start.slice(0, 5), end: endForApi(end) };
      if (rule.end <= rule.start) return `${name}: the hours ${rule.start}–${end.slice(0, 5)} must end after they start.`;
      weekly.push(rule);
    }
  }
  return {
    timezone: form.timezone,
    rate_per_minute: form.rate.trim(),
    window_size_minutes: Number(form.windowMinutes),
    slot_minutes: Number(form.slotMinutes),
    weekly,
    date_overrides: form.dateOverrides,
    min_notice_minutes: Number(form.noticeMinutes),
    buffer_minutes: Number(form.bufferMinutes),
  };
}

function describeOverride(override: DateOverrideDto): string {
  return override.unavailable ? `${override.date} off` : `${override.date} ${override.start}–${override.end}`;
}

/** When guests can book the host, at what price (decision 16). Tells the page the saved time zone. */
export function AvailabilitySection({ username, userZone, onZone }: { username: string | null; userZone: string | null; onZone: (zone: string) => void }) {
  const [form, setForm] = useState<AvailabilityForm | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let current = true;
    authed<AvailabilityDto>('GET', '/v1/schedule/availability')
      .then((saved) => {
        if (!current) return;
        setForm(toForm(saved, saved.timezone));
        onZone(saved.timezone);
      })
      .catch((e) => {
        if (!current) return;
        // No availability yet: an empty form, not an error.
        if (!(e instanceof ApiError && e.status === 404)) setError(describeError(e));
        setForm(toForm(null, userZone ?? visitorTimeZone()));
      });
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (!form) {
    return (
      <section aria-labelledby="availability-title" className="card schedule">
        <h2 id="availability-title">Availability</h2>
        {error ? <Alert>{error}</Alert> : <p>Loading your availability…</p>}
      </section>
    );
  }

  const edit = (change: Partial<AvailabilityForm>) => setForm({ ...form, ...change });
  const editDay = (day: WeekdayName, change: (hours: DayHours) => DayHours) => edit({ week: { ...form.week, [day]: change(form.week[day]) } });
  const editRow = (day: WeekdayName, key: number, change: Partial<HoursRow>) =>
    editDay(day, (hours) => ({ ...hours, rows: hours.rows.map((r) => (r.key === key ? { ...r, ...change } : r)) }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    const request = toRequest(form);
    if (typeof request === 'string') {
      setError(request);
      return;
    }
    setSaving(true);
    try {
      const saved = await authed<AvailabilityDto>('PUT', '/v1/schedule/availability', { body: request });
      setForm(toForm(saved, saved.timezone));
      onZone(saved.timezone);
      setNotice('Availability saved.');
    } catch (e) {
      setError(describeError(e));
    } finally {
      setSaving(false);
    }
  };

  const number = (id: string, text: string, value: string, key: keyof AvailabilityForm, min: number, max: number) => (
    <div>
      <label htmlFor={id}>{text}</label>
      <input id={id} type="number" inputMode="numeric" min={min} max={max} step={1} required value={value} onChange={(e) => edit({ [key]: e.target.value })} />
    </div>
  );

  return (
    <section aria-labelledby="availability-title" className="card schedule">
      <h2 id="availability-title">Availability</h2>
      <p>
        The weekly hours guests can book, in your time zone.
        {username && (
          <>
            {' '}
            Your booking page: <a href={`/book/${username}`}>{`${location.origin}/book/${username}`}</a>
          </>
        )}
      </p>
      <form onSubmit={(event) => void save(event)} id="availability-form">
        <div className="schedule-fields">
          <div>
            <label htmlFor="availability-timezone">Time zone</label>
            <select id="availability-timezone" value={form.timezone} onChange={(e) => edit({ timezone: e.target.value })}>
              {timeZoneChoices(form.timezone).map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="availability-rate">Booking price per minute (USD)</label>
            <input id="availability-rate" inputMode="decimal" required pattern="\d{1,3}(\.\d{1,2})?" value={form.rate} onChange={(e) => edit({ rate: e.target.value })} />
          </div>
          {number('availability-window', 'Booking hold window (minutes)', form.windowMinutes, 'windowMinutes', 1, 60)}
          {number('availability-slot', 'Slot length (minutes)', form.slotMinutes, 'slotMinutes', 15, 240)}
          {number('availability-notice', 'Minimum notice (minutes)', form.noticeMinutes, 'noticeMinutes', 0, 10_080)}
          {number('availability-buffer', 'Buffer between calls (minutes)', form.bufferMinutes, 'bufferMinutes', 0, 240)}
        </div>

        <fieldset className="weekdays">
          <legend>Weekly hours</legend>
          <p className="hint" id="weekly-hint">
            Tick the days you take calls. An end of 00:00 (12:00 AM) means midnight at the end of that day.
          </p>
          {WEEK.map(({ day, name }) => {
            const hours = form.week[day];
            return (
              <div className="weekday" key={day}>
                <label className="choice day-name" htmlFor={`availability-${day}`}>
                  <input
                    id={`availability-${day}`}
                    type="checkbox"
                    checked={hours.on}
                    onChange={(e) => editDay(day, (h) => ({ on: e.target.checked, rows: e.target.checked && h.rows.length === 0 ? [row()] : h.rows }))}
                  />
                  {name}
                </label>
                {hours.on && (
                  <div className="day-hours">
                    {hours.rows.map((r, index) => {
                      const which = index === 0 ? `${name} ` : `${name}, hours ${index + 1}, `;
                      const id = `availability-${day}-${index}`;
                      return (
                        <div className="hours-row" key={r.key}>
                          <span className="time-field">
                            <label htmlFor={`${id}-start`}>
                              <span className="visually-hidden">{which}</span>from
                            </label>
                            <input
                              id={`${id}-start`}
                              type="time"
                              required
                              value={r.start}
                              aria-describedby="weekly-hint"
                              onChange={(e) => editRow(day, r.key, { start: e.target.value })}
                            />
                          </span>
                          <span className="time-field">
                            <label htmlFor={`${id}-end`}>
                              <span className="visually-hidden">{which}</span>to
                            </label>
                            <input
                              id={`${id}-end`}
                              type="time"
                              required
                              value={r.end}
                              aria-describedby="weekly-hint"
                              onChange={(e) => editRow(day, r.key, { end: e.target.value })}
                            />
                          </span>
                          <button
                            type="button"
                            aria-label={`Remove ${name} hours ${index + 1}`}
                            onClick={() =>
                              editDay(day, (h) => {
                                const rows = h.rows.filter((other) => other.key !== r.key);
                                return { on: rows.length > 0, rows };
                              })
                            }
                          >
                            Remove
                          </button>
                        </div>
                      );
                    })}
                    <button type="button" className="add-hours" onClick={() => editDay(day, (h) => ({ ...h, rows: [...h.rows, row()] }))}>
                      Add hours to {name}
                    </button>
                  </div>
                )}
              </div>
            );
          })}
        </fieldset>

        {form.dateOverrides.length > 0 && (
          <p className="hint" id="availability-overrides">
            Date overrides (kept as they are): {form.dateOverrides.map(describeOverride).join('; ')}.
          </p>
        )}
        {error && <Alert>{error}</Alert>}
        {notice && <Alert kind="info">{notice}</Alert>}
        <button type="submit" className="primary" disabled={saving}>
          Save availability
        </button>
      </form>
    </section>
  );
}
