import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../functions/shared/domain/schedule.ts';
import { getProfile } from '../../functions/shared/store/customers.ts';
import { getSurveyAnswer } from '../../functions/shared/store/surveys.ts';
import { verifyToken } from '../../functions/shared/tokens.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { samplePurchase } from '../../local-cloud/sign.ts';
import { launchChromium } from '../support/browser.ts';
import { emailsTo, header, postWebhook, startTestCloud, waitFor } from '../support/local.ts';

const SCREENSHOTS = fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url));
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const WAIT_MS = 10_000;

describe('customer pages in a real browser (Chromium)', () => {
  let cloud: LocalCloud;
  let browser: Browser;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 86_400 }); // a day per second
    browser = await launchChromium(); // AFTERCARE_CHROMIUM, Debian's, or the npm-shipped one
  });
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  /** A purchase made 19 virtual days ago: its survey ask is due now (within about a real second). */
  async function askedCustomer(email: string) {
    const createdAt = new Date(cloud.clock.now() - 19 * DAY).toISOString();
    expect((await postWebhook(cloud, 'generic', JSON.stringify(samplePurchase({ email, createdAt })))).status).toBe(
      200,
    );
    const ask = await waitFor(`the survey ask to ${email}`, async () =>
      (await emailsTo(cloud, email)).find((mail) => header(mail, 'X-Aftercare-Step') === 'ask'),
    );
    const links = [...(ask.body.html ?? '').matchAll(/href="([^"]+)"/g)].map((m) =>
      (m[1] ?? '').replace(/&amp;/g, '&'),
    );
    const unsubscribeUrl = /<([^>]+)>/.exec(header(ask, 'List-Unsubscribe') ?? '')?.[1] ?? '';
    const token = new URL(unsubscribeUrl).pathname.split('/')[2] ?? '';
    const payload = await verifyToken(token, 'unsubscribe', cloud.clock.now()); // links are sealed: read as the service does
    return {
      surveyUrl: (score: number) => links.find((url) => url.includes('/s/') && url.endsWith(`?score=${score}`)) ?? '',
      unsubscribeUrl,
      storeId: payload.s,
      orderId: payload.o ?? '',
      customerKey: payload.c,
    };
  }

  /** A page in a fresh context, collecting Content Security Policy violations. */
  async function openPage(options: BrowserContextOptions): Promise<{ page: Page; cspViolations: string[] }> {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
    });
    return { page, cspViolations };
  }

  const formPost = (page: Page) =>
    page.waitForResponse((response) => response.request().method() === 'POST', { timeout: WAIT_MS });

  it('answers the survey with one click in the email and one tap; a changed score and a comment are stored; a detractor alerts support', async () => {
    // Prepare
    const customer = await askedCustomer('browser@example.com');
    const { page, cspViolations } = await openPage(PHONE);
    // Act: one click in the email opens the page with that score selected; one tap sends it
    await page.goto(customer.surveyUrl(8));
    expect(await page.locator('#score-8').isChecked()).toBe(true);
    expect(await getSurveyAnswer(customer.storeId, customer.orderId)).toBeUndefined();
    const sent = formPost(page);
    await page.getByRole('button', { name: 'Send my answer' }).tap();
    expect((await sent).status()).toBe(200);
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    expect((await getSurveyAnswer(customer.storeId, customer.orderId))?.score).toBe(8);
    // Act: the person picks another score and adds a comment
    await page.locator('label[for="score-3"]').click();
    await page.getByLabel('Anything you would like to add?').fill('The lid cracked after a week.');
    const updated = formPost(page);
    await page.getByRole('button', { name: 'Update my answer' }).tap();
    // Assess
    expect((await updated).status()).toBe(200);
    await page.getByRole('status').filter({ hasText: 'Your answer has been saved.' }).waitFor();
    expect(await page.locator('#score-3').isChecked()).toBe(true);
    const answer = await getSurveyAnswer(customer.storeId, customer.orderId);
    expect(answer).toMatchObject({ score: 3, comment: 'The lid cracked after a week.', changes: [{ score: 8 }] });
    const alert = await waitFor('the detractor alert to the support address', async () =>
      (await emailsTo(cloud, 'support@demo-appliances.example')).find(
        (mail) => header(mail, 'X-Aftercare-Step') === 'detractor-alert' && mail.body.text?.includes('browser@'),
      ),
    );
    expect(alert.body.text).toContain('The lid cracked after a week.');
    expect(cspViolations).toEqual([]);
    await page.context().close();
  });

  it('a scanner that opens every link in a script-running browser hiding its automation records nothing', async () => {
    // Prepare: the scanner — headless Chromium with --disable-blink-features=AutomationControlled
    const scanner = await launchChromium({}, { hideAutomation: true });
    const page = await (await scanner.newContext(DESKTOP)).newPage();
    page.setDefaultTimeout(WAIT_MS);
    await page.goto(`${cloud.apiUrl}/health`);
    expect(await page.evaluate('navigator.webdriver')).toBe(false); // nothing tells it from a person's browser
    const customer = await askedCustomer('sandboxed@example.com');
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET') posts.push(request.url());
    });
    // Act
    for (const score of [0, 5, 10]) {
      await page.goto(customer.surveyUrl(score));
      await page.waitForLoadState('networkidle');
      expect(await page.locator(`#score-${score}`).isChecked()).toBe(true);
    }
    await page.goto(customer.unsubscribeUrl);
    await page.waitForLoadState('networkidle');
    // Assess
    expect(posts).toEqual([]);
    expect(await getSurveyAnswer(customer.storeId, customer.orderId)).toBeUndefined();
    await scanner.close();
  });

  it('screenshots the survey and preferences pages at desktop and phone widths; saves preferences by clicking', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const customer = await askedCustomer('screenshots@example.com');
    for (const [name, options] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      // Without JavaScript the page stays as a scanner or a careful reader sees it: score selected, nothing sent.
      const { page: survey, cspViolations } = await openPage({ ...options, javaScriptEnabled: false });
      await survey.goto(customer.surveyUrl(9));
      expect(await survey.locator('#score-9').isChecked()).toBe(true);
      await survey.screenshot({ path: `${SCREENSHOTS}survey-${name}.png`, fullPage: true });
      await survey.context().close();

      const { page: preferences } = await openPage(options);
      await preferences.goto(customer.unsubscribeUrl);
      await preferences.getByRole('heading', { name: 'Email preferences' }).waitFor();
      await preferences.screenshot({ path: `${SCREENSHOTS}preferences-${name}.png`, fullPage: true });
      await preferences.context().close();
      expect(cspViolations).toEqual([]);
    }
    expect(await getSurveyAnswer(customer.storeId, customer.orderId)).toBeUndefined();

    // Act: untick offers and save, with the keyboard-reachable controls
    const { page } = await openPage(PHONE);
    await page.goto(customer.unsubscribeUrl);
    await page.getByLabel('Offers').uncheck();
    const saved = formPost(page);
    await page.getByRole('button', { name: 'Save preferences' }).click();
    // Assess
    expect((await saved).status()).toBe(200);
    await page.getByRole('status').filter({ hasText: 'Your preferences have been saved.' }).waitFor();
    const profile = await getProfile(customer.storeId, customer.customerKey);
    expect(profile).toMatchObject({ unsubscribedAll: false, unsubscribed: ['offers'] });
    await page.context().close();
  });
});
