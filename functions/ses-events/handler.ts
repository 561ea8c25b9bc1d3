import { nowIso } from '../shared/clock.ts';
import { logger } from '../shared/logger.ts';
import { suppress } from '../shared/store/customers.ts';
import { interpretSesEvent } from './events.ts';
import { type RecordResult, recordDeliveryState } from './message-state.ts';

/** The step records the message right after SES accepts it; an early event waits this long (ms) for that record. */
const MESSAGE_RECORD_WAITS = [50, 150, 400, 1000];

/**
 * EventBridge (SES configuration-set events) → suppression list and per-message delivery state. Delivered at
 * least once, so every write is idempotent; shapes we do not know are logged by type and dropped, while a
 * DynamoDB failure throws so EventBridge retries the event.
 */
export async function handler(event: unknown): Promise<void> {
  const outcome = interpretSesEvent(event, nowIso());
  if (outcome.kind === 'ignored') {
    logger.warn('SES event ignored', { type: outcome.type, why: outcome.why });
    return;
  }
  const { eventType, messageId, storeId, suppress: suppression, delivery } = outcome;
  // Suppression is global (keyed by the address hash): one hard bounce or complaint stops every store.
  if (suppression) {
    for (const address of suppression.addresses) await suppress(address, suppression.reason, nowIso());
  }

  let result: RecordResult = await recordDeliveryState(messageId, delivery);
  for (const wait of MESSAGE_RECORD_WAITS) {
    if (result !== 'unknown-message') break;
    await new Promise((resolve) => setTimeout(resolve, wait));
    result = await recordDeliveryState(messageId, delivery);
  }
  const facts = {
    eventType,
    messageId,
    storeId,
    state: delivery.state,
    suppressed: suppression?.addresses.length ?? 0,
  };
  if (result === 'unknown-message') logger.warn('SES event for a message Aftercare has no record of', facts);
  else logger.info('SES event recorded', { ...facts, result });
}
