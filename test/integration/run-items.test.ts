import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRun, type RunRecord, saveRun, touchRun } from '../../functions/shared/store/runs.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { startTestCloud, tableItems } from '../support/local.ts';

// A wake's heartbeat writes the run item with one UpdateItem (no read first). It must leave the item exactly as the
// read-then-put it replaced would: same fields, the history kept, the keeper's index keys moved, and the same
// ownership rule — an older generation's wake or a finished run never takes the item back.

const base = {
  storeId: 'demo',
  orderId: 'touch-1',
  sequence: 'follow-up' as const,
  name: 'demo-touch-1-follow-up',
  nextStep: 1,
  plannedAt: '2030-01-01T00:00:00.000Z',
  at: '2030-01-02T00:00:00.000Z',
};
const live = (generation: number, dueAt: string, extra: Partial<Pick<RunRecord, 'nextStep' | 'wakeAt'>> = {}) => ({
  ...base,
  ...extra,
  generation,
  state: 'live' as const,
  dueAt,
});

async function stored(orderId = base.orderId) {
  return (await tableItems()).find((item) => item.PK === `PURCHASE#demo#${orderId}` && item.SK === `RUN#${base.name}`);
}

describe('a heartbeat written without reading the run item', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 1 });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('moves the due time and the keeper index, keeps the history, and drops a wake time the next wake lacks', async () => {
    // Prepare: a run started with a history line and a wake time
    await saveRun(
      { ...live(1, '2030-01-03T02:00:00.000Z'), wakeAt: '2030-01-03T00:00:00.000Z' },
      { event: 'started', step: 0 },
      undefined,
      'newer',
    );
    // Act: the wake's heartbeat; its next wake is a parking one (no wake time)
    const written = await touchRun(live(1, '2030-01-05T02:00:00.000Z', { nextStep: 2 }));
    // Assess
    expect(written).toBe(true);
    const item = await stored();
    expect(item).toMatchObject({
      generation: 1,
      state: 'live',
      nextStep: 2,
      dueAt: '2030-01-05T02:00:00.000Z',
      GSI3SK: `2030-01-05T02:00:00.000Z#${base.name}`,
    });
    expect(item?.wakeAt).toBeUndefined();
    expect(((item?.history ?? []) as RunRecord['history']).map((line) => line.event)).toEqual(['started']);
    expect((await getRun(base.storeId, base.orderId, base.name))?.history).toHaveLength(1);
  });

  it('stands down when a newer generation owns the run, or the run is done', async () => {
    // Prepare: generation 2 took over
    await saveRun(
      live(2, '2030-02-01T02:00:00.000Z'),
      { event: 'unparked' },
      await getRun('demo', 'touch-1', base.name),
      'newer',
    );
    // Act: generation 1's late wake
    const older = await touchRun(live(1, '2030-03-01T02:00:00.000Z'));
    // Then the run finishes, and generation 2's duplicated wake arrives
    await saveRun(
      { ...live(2, '2030-02-01T02:00:00.000Z'), state: 'done', dueAt: undefined },
      { event: 'done' },
      await getRun('demo', 'touch-1', base.name),
      'same',
    );
    const afterDone = await touchRun(live(2, '2030-04-01T02:00:00.000Z'));
    // Assess
    expect([older, afterDone]).toEqual([false, false]);
    const item = await stored();
    expect(item).toMatchObject({ generation: 2, state: 'done' });
    expect(item?.GSI3PK).toBeUndefined();
  });

  it('creates the item, with an empty history, when the run item was never written', async () => {
    // Act
    const written = await touchRun({ ...live(0, '2030-01-09T02:00:00.000Z'), orderId: 'touch-2' });
    // Assess
    expect(written).toBe(true);
    expect(await stored('touch-2')).toMatchObject({
      state: 'live',
      history: [],
      GSI3PK: expect.stringMatching(/^RUNS#/),
    });
  });
});
