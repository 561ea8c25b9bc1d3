import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE } from '../../functions/shared/config/file.ts';
import { ConfigError, parseConfig } from '../../functions/shared/config/schema.ts';
import { checkConfigTemplates, loadConfigChecked } from '../../infra/config-templates.ts';

describe('store template overrides in the configuration', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aftercare-config-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** The shipped configuration with a second store `kettles` carrying `templates`, written to a file. */
  function configWith(templates: unknown): { raw: unknown; file: string } {
    const base = JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8'));
    const kettles = { ...base.stores[0], id: 'kettles', name: 'Kettle Corner', productRules: [], templates };
    const raw = { ...base, stores: [base.stores[0], kettles] };
    const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(raw));
    return { raw, file };
  }

  async function rejection(templates: unknown): Promise<string> {
    const { file } = configWith(templates);
    const error = await loadConfigChecked(file).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }

  it('accepts a valid override, which the parsed store then carries', async () => {
    // Prepare
    const subject = 'Thanks, {{ customer.firstName | default: "friend" }}! Order {{ order.number }} is on its way';
    const { file } = configWith({ 'follow-up/thanks': { subject, text: 'Hello {{ customer.firstName }}.' } });

    // Act
    const config = await loadConfigChecked(file);

    // Assess
    expect(config.stores[1]?.templates?.['follow-up/thanks']?.subject).toBe(subject);
    expect(config.stores[0]?.templates).toBeUndefined();
  });

  it('rejects an unknown variable, naming the store, the template, the part and the variable', async () => {
    // Act
    const message = await rejection({ 'follow-up/check-in': { subject: 'Hi {{ customer.lastName }}' } });

    // Assess
    expect(message).toContain(`configuration file`);
    expect(message).toContain('stores.1.templates.follow-up/check-in.subject');
    expect(message).toContain('store "kettles"');
    expect(message).toContain('customer.lastName');
  });

  it('rejects a Liquid syntax error, naming the store, the template and the problem', async () => {
    // Act
    const message = await rejection({
      'warranty-reminder/reminder': { text: '{% if customer.firstName %}Hello {{ customer.firstName }}' },
    });

    // Assess
    expect(message).toContain('stores.1.templates.warranty-reminder/reminder.text');
    expect(message).toContain('store "kettles"');
    expect(message).toMatch(/not closed|unclosed|endif/i);
  });

  it('rejects invalid MJML in an override', async () => {
    // Act
    const message = await rejection({
      'upgrade-offer/offer': { mjml: '<mj-section><mj-text>No column</mj-text></mj-section>' },
    });

    // Assess
    expect(message).toContain('stores.1.templates.upgrade-offer/offer.mjml');
    expect(message).toContain('store "kettles"');
  });

  it('rejects an unknown template id or part, and a non-string part, when parsing', () => {
    // Act + Assess
    expect(() => parseConfig(configWith({ 'follow-up/hello': { subject: 'Hi' } }).raw)).toThrow(
      /stores\.1\.templates.*Unrecognized key.*follow-up\/hello/s,
    );
    expect(() => parseConfig(configWith({ 'follow-up/thanks': { footer: 'x' } }).raw)).toThrow(
      /stores\.1\.templates\.follow-up\/thanks.*footer/s,
    );
    expect(() => parseConfig(configWith({ 'follow-up/thanks': { subject: 42 } }).raw)).toThrow(
      /stores\.1\.templates\.follow-up\/thanks\.subject/,
    );
  });

  it('passes a configuration without overrides unchanged', async () => {
    // Prepare
    const config = parseConfig(JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8')));

    // Act + Assess
    await expect(checkConfigTemplates(config)).resolves.toBe(config);
  });
});

describe('discount code pools in the configuration', () => {
  const demoWithPool = (offerSku: string, discountCodes?: unknown) => {
    const raw = JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8'));
    Object.assign(raw.stores[0].productRules[0].rules.offer, { codePool: true, offerSku });
    if (discountCodes) raw.stores[0].discountCodes = discountCodes;
    return raw;
  };

  it('default to skipping an offer whose pool is empty, with an alarm below 50 free codes', () => {
    // Act
    const config = parseConfig(demoWithPool('BAGS-10'));

    // Assess
    expect(config.stores[0]?.discountCodes).toEqual({ whenPoolEmpty: 'skip', lowPoolAlarmBelow: 50 });
  });

  it('refuse a pool SKU that cannot name its CloudWatch alarm, and an unknown empty-pool policy, naming the field', () => {
    // Act
    const problems = [demoWithPool('Staubbeutel–10'), demoWithPool('BAGS-10', { whenPoolEmpty: 'sometimes' })].map(
      (raw) => {
        try {
          parseConfig(raw);
          return 'accepted';
        } catch (error) {
          return (error as Error).message;
        }
      },
    );

    // Assess
    expect(problems[0]).toContain('stores.0.productRules: offerSku "Staubbeutel–10" uses a code pool');
    expect(problems[1]).toContain('stores.0.discountCodes.whenPoolEmpty');
  });
});

describe('the sending rules of issue 13 in the configuration', () => {
  const base = () => JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8'));
  it('defaults the spread, the wake bound and once-per-customer periods', () => {
    const { sending } = parseConfig(base());
    expect(sending.spreadMinutes).toBe(180);
    expect(sending.maxWakesPerSecond).toBe(10);
    expect(sending.oncePerCustomer).toEqual({ thanksDays: 1, checkInDays: 7, surveyDays: 30, offerDays: 365 });
  });

  it('rejects a wake bound of 0 and an unknown once-per-customer field, naming each', () => {
    const raw = base();
    raw.sending = { ...raw.sending, maxWakesPerSecond: 0, oncePerCustomer: { thanksDay: 1 } };
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    expect(() => parseConfig(raw)).toThrow(/sending\.maxWakesPerSecond: .*\n.*sending\.oncePerCustomer: .*thanksDay/);
  });
});
