import * as z from 'zod';

/**
 * SES configuration-set events, as EventBridge delivers them (`detail` is the SES event record). Pure: turns one
 * event into what to do — which addresses to suppress and which delivery state to record on the message.
 */
const recipient = z.looseObject({ emailAddress: z.string().min(1), diagnosticCode: z.string().optional() });
const mail = z.looseObject({
  messageId: z.string().min(1),
  timestamp: z.string().optional(),
  tags: z.record(z.string(), z.array(z.string())).optional(),
});
const at = { timestamp: z.string().optional() };

const sesRecordSchema = z.discriminatedUnion('eventType', [
  z.looseObject({
    eventType: z.literal('Bounce'),
    mail,
    bounce: z.looseObject({
      ...at,
      bounceType: z.string().min(1),
      bounceSubType: z.string().optional(),
      bouncedRecipients: z.array(recipient).min(1),
    }),
  }),
  z.looseObject({
    eventType: z.literal('Complaint'),
    mail,
    complaint: z.looseObject({
      ...at,
      complainedRecipients: z.array(recipient).min(1),
      complaintFeedbackType: z.string().optional(),
    }),
  }),
  z.looseObject({ eventType: z.literal('Delivery'), mail, delivery: z.looseObject(at).optional() }),
  z.looseObject({ eventType: z.literal('Send'), mail, send: z.looseObject({}).optional() }),
  z.looseObject({
    eventType: z.literal('Reject'),
    mail,
    reject: z.looseObject({ reason: z.string().optional() }).optional(),
  }),
  z.looseObject({
    eventType: z.literal('Rendering Failure'),
    mail,
    failure: z.looseObject({ errorMessage: z.string().optional() }).optional(),
  }),
]);
export type SesRecord = z.infer<typeof sesRecordSchema>;

const envelopeSchema = z.looseObject({
  source: z.literal('aws.ses'),
  'detail-type': z.string(),
  time: z.string().optional(),
  detail: z.unknown(),
});

/**
 * The delivery state of one message, ranked: a state only replaces one of lower rank (or, at equal rank, an earlier
 * one), because EventBridge keeps no order. SES reports a soft bounce only once it has stopped retrying, so it
 * outranks a Delivery that may arrive after it.
 */
export const DELIVERY_STATES = {
  sent: 1,
  delivered: 2,
  'soft-bounced': 3,
  rejected: 3,
  'rendering-failed': 3,
  bounced: 4,
  complained: 5,
} as const;
export type DeliveryState = keyof typeof DELIVERY_STATES;

export interface DeliveryUpdate {
  state: DeliveryState;
  /** When it happened (the event's own time, so a redelivered event writes the same values). */
  at: string;
  bounceType?: string;
  bounceSubType?: string;
  /** SMTP diagnostic or SES reason, with any address taken out. */
  diagnostic?: string;
}

export type SesOutcome =
  | { kind: 'ignored'; type: string; why: 'not-an-ses-event' | 'unknown-shape' }
  | {
      kind: 'handled';
      eventType: SesRecord['eventType'];
      messageId: string;
      storeId?: string;
      suppress?: { reason: 'bounce' | 'complaint'; addresses: string[] };
      delivery: DeliveryUpdate;
    };

/** Reads one EventBridge event; anything that is not an SES event record we know is `ignored`, never thrown. */
export function interpretSesEvent(event: unknown, now: string): SesOutcome {
  const envelope = envelopeSchema.safeParse(event);
  if (!envelope.success) return { kind: 'ignored', type: typeOf(event), why: 'not-an-ses-event' };
  const record = sesRecordSchema.safeParse(envelope.data.detail);
  if (!record.success) return { kind: 'ignored', type: envelope.data['detail-type'], why: 'unknown-shape' };
  const detail = record.data;
  const storeId = detail.mail.tags?.store?.[0];
  return {
    kind: 'handled',
    eventType: detail.eventType,
    messageId: detail.mail.messageId,
    ...(storeId ? { storeId } : {}),
    ...whatHappened(detail, envelope.data.time ?? detail.mail.timestamp ?? now),
  };
}

type Consequence = Pick<Extract<SesOutcome, { kind: 'handled' }>, 'suppress' | 'delivery'>;

/** The delivery state to record and the addresses to suppress; `fallbackAt` when the record has no time of its own. */
function whatHappened(detail: SesRecord, fallbackAt: string): Consequence {
  switch (detail.eventType) {
    case 'Bounce':
      return bounced(detail.bounce, fallbackAt);
    case 'Complaint':
      return complained(detail.complaint, fallbackAt);
    case 'Delivery':
      return { delivery: { state: 'delivered', at: detail.delivery?.timestamp ?? fallbackAt } };
    case 'Send':
      return { delivery: { state: 'sent', at: fallbackAt } };
    case 'Reject':
      return { delivery: { state: 'rejected', at: fallbackAt, ...diagnosticOf(detail.reject?.reason) } };
    case 'Rendering Failure':
      return {
        delivery: { state: 'rendering-failed', at: fallbackAt, ...diagnosticOf(detail.failure?.errorMessage) },
      };
  }
}

function bounced(bounce: Extract<SesRecord, { eventType: 'Bounce' }>['bounce'], fallbackAt: string): Consequence {
  const permanent = bounce.bounceType === 'Permanent';
  return {
    // Soft bounces (Transient, Undetermined) are retried by SES: recorded, never suppressed.
    ...(permanent ? { suppress: { reason: 'bounce', addresses: addresses(bounce.bouncedRecipients) } } : {}),
    delivery: {
      state: permanent ? 'bounced' : 'soft-bounced',
      at: bounce.timestamp ?? fallbackAt,
      bounceType: bounce.bounceType,
      ...(bounce.bounceSubType ? { bounceSubType: bounce.bounceSubType } : {}),
      ...diagnosticOf(bounce.bouncedRecipients.map((r) => r.diagnosticCode).find(Boolean)),
    },
  };
}

function complained(
  complaint: Extract<SesRecord, { eventType: 'Complaint' }>['complaint'],
  fallbackAt: string,
): Consequence {
  // "not-spam" is a recipient taking a message *out* of spam: no reason to stop writing to them.
  const notSpam = complaint.complaintFeedbackType === 'not-spam';
  return {
    ...(notSpam ? {} : { suppress: { reason: 'complaint', addresses: addresses(complaint.complainedRecipients) } }),
    delivery: { state: 'complained', at: complaint.timestamp ?? fallbackAt },
  };
}

function diagnosticOf(text: string | undefined): { diagnostic?: string } {
  return text ? { diagnostic: withoutAddresses(text) } : {};
}

/** Bare addresses, also from `Name <address>` forms, without duplicates. */
function addresses(recipients: { emailAddress: string }[]): string[] {
  const bare = recipients.map((r) => (/<([^>]+)>/.exec(r.emailAddress)?.[1] ?? r.emailAddress).trim());
  return [...new Set(bare.filter((address) => address.includes('@')))];
}

/** Diagnostics often quote the recipient ("550 5.1.1 <ann@example.com>… unknown"): kept, but without it. */
export function withoutAddresses(text: string): string {
  return text
    .replace(/[^\s<>()"',;:]+@[^\s<>()"',;:]+/g, '<address>')
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 300);
}

function typeOf(event: unknown): string {
  if (typeof event !== 'object' || event === null) return typeof event;
  const type = (event as Record<string, unknown>)['detail-type'];
  return typeof type === 'string' ? type.slice(0, 100) : 'object';
}
