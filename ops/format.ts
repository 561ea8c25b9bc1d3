/** Plain-text output helpers shared by the commands: aligned tables, local times, reasons in words. */

/**
 * Order data may carry terminal escape sequences (ESC[2J, OSC 52 clipboard writes, bidi overrides): every control
 * and bidi-control character except line breaks and tabs is shown as a visible `\uXXXX` (JSON-safe, inside a
 * string it reads back as the same character). A leading carriage return is kept: progress bars redraw with it.
 */
export function terminalSafe(text: string): string {
  const start = text.startsWith('\r') ? 1 : 0;
  const rest = text.slice(start).replace(/(?![\n\t])[\p{Cc}\p{Bidi_Control}]/gu, (char) => {
    return `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
  });
  return text.slice(0, start) + rest;
}

/** Columns padded to their widest cell; columns of numbers (1 234, 5.2, +20, -50, 83.3%, –) align right. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = header.map(
    (_, column) => rows.length > 0 && rows.every((row) => /^([-+]?\$?[\d.,]+%?|–)$/.test(row[column] ?? '')),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return numeric[column] ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)].join('\n');
}

/** "Sat 28 Nov 2026, 09:00 CET" in the given zone. */
export function localTime(at: string | number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(at));
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((part / whole) * 100).toFixed(1)}%`;
}

/** What each skip and postpone reason recorded by the step function means, for people reading a trail. */
export const REASONS: Record<string, string> = {
  'too-late': 'its time had already passed when the purchase reached Aftercare',
  'execution-failed': 'its execution failed after its retries',
  'execution-timed_out': 'its execution timed out',
  'execution-aborted': 'its execution was stopped',
  'execution-missing': 'its execution was lost (never started, or gone)',
  'execution-succeeded': 'its execution ended before its plan did',
  'execution-lifetime': 'beyond what one execution may wait',
  'order-closed': 'the order was cancelled, refunded or redacted',
  'all-steps-decided': 'every step was decided',
  'order-cancelled': 'the order was cancelled',
  'order-refunded': 'the order was refunded',
  'items-refunded': 'the products it is about were refunded',
  'no-email-address': 'the order has no email address',
  'address-suppressed': 'the address bounced or complained before',
  unsubscribed: 'the customer unsubscribed from all emails',
  'unsubscribed-from-tips': 'the customer unsubscribed from tips',
  'unsubscribed-from-surveys': 'the customer unsubscribed from surveys',
  'unsubscribed-from-offers': 'the customer unsubscribed from offers',
  'unsubscribed-from-warranty': 'the customer unsubscribed from warranty reminders',
  'survey-answered': 'the customer had already answered the survey',
  'already-bought': 'the customer had already bought the offered product',
  'purchase-redacted': 'the customer’s data was erased on request',
  'purchase-unknown': 'the purchase is not known',
  'store-not-configured': 'the store is no longer configured',
  'send-rejected': 'SES refused the message',
  'discount-codes-exhausted':
    'the offer’s pool of single-use codes was empty and the store sends no offer without its code (aftercare codes import)',
  'send-outcome-unknown': 'an attempt stopped mid-send or lost SES’s answer, so it may have gone out; never sent twice',
  'identity-not-verified': 'SES has not verified the sender (or, in the sandbox, the recipient) yet; tried again later',
  stale: 'its deadline passed before it could go out (the detail says which deadline and why)',
  covered: 'another order’s email of the same kind went, or is queued, to this customer in the period',
  'woke-too-late': 'it woke long past its due time (a run restarted months later); never sent that late',
  'already-handled': 'another attempt handled it',
  'quiet-hours': 'outside the sending hours in the customer’s time zone',
  'frequency-cap': 'another email went to this customer shortly before; queued for a definite slot',
  'follows-delivery-date': 'the delivery date moved the step later',
  'send-retry': 'SES asked to slow down; retried',
};

export function explain(reason: string | undefined): string {
  if (!reason) return '';
  const words = REASONS[reason];
  return words ? `${reason} (${words})` : reason;
}
