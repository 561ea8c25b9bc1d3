/** Time arithmetic for sends: quiet hours in the customer's time zone. Pure, so it is tested directly. */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface QuietHours {
  /** Sends allowed from this local hour (inclusive)… */
  start: number;
  /** …until this local hour (exclusive). */
  end: number;
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Local wall-clock parts of an instant in a time zone. */
function localParts(at: number, timeZone: string) {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** The instant at which the local clock in `timeZone` shows the given wall time (DST-safe to the minute). */
function instantOf(year: number, month: number, day: number, hour: number, timeZone: string): number {
  let guess = Date.UTC(year, month - 1, day, hour);
  for (let i = 0; i < 3; i += 1) {
    const local = localParts(guess, timeZone);
    const shownAsUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
    const wanted = Date.UTC(year, month - 1, day, hour);
    if (shownAsUtc === wanted) break;
    guess += wanted - shownAsUtc;
  }
  return guess;
}

/** The first instant at or after `at` that falls inside the sending window of `timeZone`. */
export function nextSendWindow(at: number, timeZone: string, quiet: QuietHours): number {
  const local = localParts(at, timeZone);
  if (local.hour >= quiet.start && local.hour < quiet.end) return at;
  if (local.hour < quiet.start) return instantOf(local.year, local.month, local.day, quiet.start, timeZone);
  const tomorrow = new Date(Date.UTC(local.year, local.month - 1, local.day + 1));
  return instantOf(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate(), quiet.start, timeZone);
}

export function isInSendWindow(at: number, timeZone: string, quiet: QuietHours): boolean {
  return nextSendWindow(at, timeZone, quiet) === at;
}

export function addMonths(at: number, months: number): number {
  const date = new Date(at);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}

export function isValidTimeZone(timeZone: string | undefined): timeZone is string {
  if (!timeZone) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}
