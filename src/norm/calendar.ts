// Calendar arithmetic in the programme's time zone: local days and months as `YYYY-MM-DD` and
// `YYYY-MM` strings, and the instants at which they start. Pure; no clock is read here.

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timezone, format);
  }
  return format;
}

function parts(instant: Date, timezone: string) {
  const values: Record<string, number> = {};
  for (const part of formatter(timezone).formatToParts(instant)) if (part.type !== 'literal') values[part.type] = Number(part.value);
  return values as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The local date (`YYYY-MM-DD`) of an instant. */
export function localDate(instant: Date, timezone: string): string {
  const p = parts(instant, timezone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

export const monthOf = (date: string): string => date.slice(0, 7);
export const localMonth = (instant: Date, timezone: string): string => monthOf(localDate(instant, timezone));

/** The instant a local date begins (00:00 local time; DST changes happen at night, never at midnight here). */
export function startOfLocalDate(date: string, timezone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(year, month - 1, day);
  // The zone's offset at the guess, applied twice to settle across an offset change.
  let instant = guess;
  for (let i = 0; i < 2; i++) {
    const p = parts(new Date(instant), timezone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    instant = guess - (asUtc - instant);
  }
  return new Date(instant);
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return shifted.toISOString().slice(0, 10);
}

export function addMonths(month: string, count: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (m - 1) + count;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

export const firstDayOf = (month: string): string => `${month}-01`;
export const lastDayOf = (month: string): string => addDays(firstDayOf(addMonths(month, 1)), -1);

/** Every local date of a month, in order. */
export function daysOf(month: string): string[] {
  const days: string[] = [];
  for (let day = firstDayOf(month); monthOf(day) === month; day = addDays(day, 1)) days.push(day);
  return days;
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const startOfMonth = (month: string, timezone: string): Date => startOfLocalDate(firstDayOf(month), timezone);
export const endOfMonth = (month: string, timezone: string): Date => startOfLocalDate(firstDayOf(addMonths(month, 1)), timezone);
