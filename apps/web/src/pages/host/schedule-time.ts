import type { CallStatus, WeekdayName } from '@vidivo/contracts';

/** The week as the API names its days (decision 16), Monday first, with the words the console shows. */
export const WEEK: ReadonlyArray<{ day: WeekdayName; name: string }> = [
  { day: 'mon', name: 'Monday' },
  { day: 'tue', name: 'Tuesday' },
  { day: 'wed', name: 'Wednesday' },
  { day: 'thu', name: 'Thursday' },
  { day: 'fri', name: 'Friday' },
  { day: 'sat', name: 'Saturday' },
  { day: 'sun', name: 'Sunday' },
];

/** The statuses a host can filter history by, in the order a host looks for them. */
export const HISTORY_STATUSES: ReadonlyArray<{ status: CallStatus; name: string }> = [
  { status: 'completed', name: 'Completed' },
  { status: 'missed', name: 'Missed' },
  { status: 'failed', name: 'Failed' },
  { status: 'active', name: 'Active' },
  { status: 'ringing', name: 'Ringing' },
  { status: 'waiting', name: 'Waiting' },
];

/** Every IANA zone the browser knows, with `current` among them even when the list leaves it out (UTC in some browsers). */
export function timeZoneChoices(current: string): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return zones.includes(current) ? zones : [current, ...zones];
}

/** A time input cannot hold 24:00, so a window ending at midnight shows (and is typed) as 00:00. */
export function endForInput(end: string): string {
  return end === '24:00' ? '00:00' : end;
}

export function endForApi(end: string): string {
  const time = end.slice(0, 5);
  return time === '00:00' ? '24:00' : time;
}
