import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../functions/shared/domain/schedule.ts';
import { getProfile } from '../../functions/shared/store/customers.ts';
import { getDecision } from '../../functions/shared/store/decisions.ts';
import { getSurveyAnswer } from '../../functions/shared/store/surveys.ts';
import { createToken, type TokenPayload, verifyToken } from '../../functions/shared/tokens.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import type { InboxEmail } from '../../local-cloud/ses.ts';
import { samplePurchase } from '../../local-cloud/sign.ts';
import { emailsTo, header, postWebhook, startTestCloud, waitFor } from '../support/local.ts';

const SUPPORT = 'support@demo-appliances.example';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('customer pages: survey answers and preferences, safe from link scanners', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 43_200 }); // half a day per second: room to act before the reminder
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  /** A purchase made 19 virtual days ago: its survey ask is due now, the reminder two virtual days (4 s) later. */
  async function askedCustomer(email: string, locale = 'en') {
    const createdAt = new Date(cloud.clock.now() - 19 * DAY).toISOString();
    const response = await postWebhook(cloud, 'generic', JSON.stringify(samplePurchase({ email, locale, createdAt })));
    expect(response.status).toBe(200);
    const ask = await waitFor(`the survey ask to ${email}`, async () =>
      (await emailsTo(cloud, email)).find((mail) => header(mail, 'X-Aftercare-Step') === 'ask'),
    );
    const surveyUrl = (score: number) => linksOf(ask).find((url) => url.includes('/s/') && url.endsWith(`=${score}`));
    const unsubscribeUrl = /<([^>]+)>/.exec(header(ask, 'List-Unsubscribe') ?? '')?.[1];
    if (!surveyUrl(0) || !unsubscribeUrl) throw new Error('the ask email lacks its survey or unsubscribe links');
    const payload = await tokenPayload(unsubscribeUrl);
    return {
      ask,
      surveyUrl: (score: number) => surveyUrl(score) ?? '',
      unsubscribeUrl,
      storeId: payload.s,
      orderId: payload.o ?? '',
      customerKey: payload.c,
    };
  }

  function linksOf(email: InboxEmail): string[] {
    const html = [...(email.body.html ?? '').matchAll(/href="([^"]+)"/g)].map((m) =>
      (m[1] ?? '').replace(/&amp;/g, '&'),
    );
    const text = [...(email.body.text ?? '').matchAll(/https?:\/\/[^\s<>()]+/g)].map((m) => m[0]);
    const listUnsubscribe = [...(header(email, 'List-Unsubscribe') ?? '').matchAll(/<([^>]+)>/g)].map((m) => m[1]);
    return [...new Set([...html, ...text, ...listUnsubscribe])].filter((url): url is string => Boolean(url));
  }

  /** Links are sealed: the test reads one as the service does. */
  function tokenPayload(url: string): Promise<TokenPayload> {
    const { pathname } = new URL(url);
    const purpose = pathname.startsWith('/s/') ? 'survey' : 'unsubscribe';
    return verifyToken(pathname.split('/')[2] ?? '', purpose, cloud.clock.now());
  }

  function csrfOf(html: string): string {
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!csrf) throw new Error('the page has no CSRF field');
    return csrf;
  }

  function post(url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
    return fetch(url.split('?')[0] ?? url, { method: 'POST', headers: { ...FORM, ...headers }, body });
  }

  /** The same-origin form post a browser makes from the page it was shown. */
  async function submitFrom(pageUrl: string, fields: Record<string, string | string[]>) {
    const csrf = csrfOf(await (await fetch(pageUrl)).text());
    return post(pageUrl, { ...fields, csrf }, { origin: cloud.apiUrl, 'sec-fetch-site': 'same-origin' });
  }

  function flipCharacter(url: string, index: number): string {
    const parsed = new URL(url);
    const [, route, token = ''] = parsed.pathname.split('/');
    const flipped = `${token.slice(0, index)}${token[index] === 'A' ? 'B' : 'A'}${token.slice(index + 1)}`;
    return `${parsed.origin}/${route}/${flipped}${parsed.search}`;
  }

  it('a plain GET of every link in every email records nothing and unsubscribes no one', async () => {
    // Prepare
    const customer = await askedCustomer('scanned@example.com');
    const inbox = await cloud.ses.inbox();
    const ours = [...new Set(inbox.flatMap(linksOf))].filter((url) => url.startsWith(cloud.apiUrl));
    expect(ours.some((url) => url.includes('/s/'))).toBe(true);
    expect(ours.some((url) => url.includes('/u/'))).toBe(true);
    const before = await getProfile(customer.storeId, customer.customerKey);
    // Act: what a mail scanner does
    for (const url of ours) {
      const response = await fetch(url, { redirect: 'follow' });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    // Assess
    for (const url of ours.filter((link) => link.includes('/s/'))) {
      const { s, o } = await tokenPayload(url);
      expect(await getSurveyAnswer(s, o ?? '')).toBeUndefined();
    }
    const after = await getProfile(customer.storeId, customer.customerKey);
    expect(after?.unsubscribedAll).toBe(before?.unsubscribedAll);
    expect(after?.unsubscribed).toEqual(before?.unsubscribed);
    await waitFor('the survey reminder (sent only while unanswered and subscribed)', async () =>
      (await emailsTo(cloud, 'scanned@example.com')).find((mail) => header(mail, 'X-Aftercare-Step') === 'reminder'),
    );
  });

  it('the one-click POST from a mail client unsubscribes, and later emails stop', async () => {
    // Prepare
    const customer = await askedCustomer('one-click@example.com');
    expect(header(customer.ask, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    // Act: RFC 8058, no page, no CSRF token
    const response = await fetch(customer.unsubscribeUrl, {
      method: 'POST',
      headers: FORM,
      body: 'List-Unsubscribe=One-Click',
    });
    // Assess
    expect(response.status).toBe(200);
    expect((await getProfile(customer.storeId, customer.customerKey))?.unsubscribedAll).toBe(true);
    const reminder = await waitFor('the reminder to be skipped', async () => {
      const decision = await getDecision(customer.storeId, customer.orderId, 'satisfaction-survey', 'reminder');
      return decision?.status === 'skipped' ? decision : undefined;
    });
    expect(reminder.reason).toBe('unsubscribed');
    const steps = (await emailsTo(cloud, 'one-click@example.com')).map((mail) => header(mail, 'X-Aftercare-Step'));
    expect(steps).toEqual(['ask']);
  });

  it('rejects tampered, malformed, expired and cross-purpose links with a friendly page, changing nothing', async () => {
    // Prepare
    const customer = await askedCustomer('tokens@example.com');
    const profileBefore = await getProfile(customer.storeId, customer.customerKey);
    const expired = await createToken({
      p: 'survey',
      s: customer.storeId,
      o: customer.orderId,
      c: customer.customerKey,
      e: Math.floor((cloud.clock.now() - DAY) / 1000),
    });
    const expiredUnsubscribe = await createToken({
      p: 'unsubscribe',
      s: customer.storeId,
      o: customer.orderId,
      c: customer.customerKey,
      e: Math.floor((cloud.clock.now() - DAY) / 1000),
    });
    const surveyToken = new URL(customer.surveyUrl(2)).pathname.split('/')[2] ?? '';
    const unsubscribeToken = new URL(customer.unsubscribeUrl).pathname.split('/')[2] ?? '';
    const cases: [string, string, number][] = [
      ['tampered survey link', flipCharacter(customer.surveyUrl(2), 12), 403],
      ['tampered signature', flipCharacter(customer.surveyUrl(2), surveyToken.length - 10), 403],
      ['tampered unsubscribe link', flipCharacter(customer.unsubscribeUrl, 12), 403],
      ['malformed survey link', `${cloud.apiUrl}/s/not-a-token?score=2`, 400],
      ['malformed unsubscribe link', `${cloud.apiUrl}/u/x.y.z`, 400],
      ['expired survey link', `${cloud.apiUrl}/s/${expired}?score=2`, 410],
      ['expired unsubscribe link', `${cloud.apiUrl}/u/${expiredUnsubscribe}`, 410],
      ['survey token on /u/', `${cloud.apiUrl}/u/${surveyToken}`, 403],
      ['unsubscribe token on /s/', `${cloud.apiUrl}/s/${unsubscribeToken}?score=2`, 403],
    ];
    for (const [what, url, status] of cases) {
      // Act
      const shown = await fetch(url);
      const posted = await post(url, { 'List-Unsubscribe': 'One-Click', score: '2', csrf: 'x' });
      // Assess
      expect(shown.status, `GET ${what}`).toBe(status);
      expect(posted.status, `POST ${what}`).toBe(status);
      const page = await shown.text();
      expect(page, what).toContain('<html lang="en">');
      expect(shown.headers.get('content-security-policy'), what).toContain("default-src 'none'");
      expect(page, what).not.toContain('Demo Appliances'); // no customer or store known
    }
    expect(await getSurveyAnswer(customer.storeId, customer.orderId)).toBeUndefined();
    expect(await getProfile(customer.storeId, customer.customerKey)).toEqual(profileBefore);
  });

  it('shows the survey with the linked score selected, in the customer language, with strict headers', async () => {
    // Prepare
    const customer = await askedCustomer('nl-survey@example.com', 'nl-BE');
    // Act
    const response = await fetch(customer.surveyUrl(7));
    const outOfRange = await (await fetch(customer.surveyUrl(7).replace('score=7', 'score=42'))).text();
    // Assess
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"])
      expect(csp).toContain(directive);
    expect(page).not.toContain('<script'); // nothing answers on its own: a person's tap sends the score
    expect(page).toContain('<button type="submit" autofocus>');
    expect(page).toContain('<html lang="nl">');
    expect(page).toContain('Hoe waarschijnlijk is het dat je Demo Appliances aanraadt');
    expect(page).toMatch(/id="score-7" value="7" required checked>/);
    expect(page).toMatch(/<form id="survey-form" method="post" action="[\w-]+">/); // relative
    expect(outOfRange).not.toContain(' checked');
    expect(outOfRange).not.toContain('autofocus');
    expect(await getSurveyAnswer(customer.storeId, customer.orderId)).toBeUndefined();
  });

  it('refuses a survey post without the CSRF token, from a foreign origin or cross-site, and bad input', async () => {
    // Prepare
    const customer = await askedCustomer('csrf@example.com');
    const url = customer.surveyUrl(3);
    const csrf = csrfOf(await (await fetch(url)).text());
    // Act
    const refused = [
      await post(url, { score: '3' }),
      await post(url, { score: '3', csrf: `${csrf.slice(0, -2)}xx` }),
      await post(url, { score: '3', csrf }, { origin: 'https://evil.example' }),
      await post(url, { score: '3', csrf }, { 'sec-fetch-site': 'cross-site' }),
      await post(url, { score: '3', csrf }, { 'sec-fetch-site': 'same-site' }),
    ];
    const badScore = await submitFrom(url, { score: '42' });
    const longComment = await submitFrom(url, { score: '3', comment: 'x'.repeat(2001) });
    // Assess
    expect(refused.map((response) => response.status)).toEqual([403, 403, 403, 403, 403]);
    expect(badScore.status).toBe(400);
    expect(longComment.status).toBe(400);
    expect(await longComment.text()).toContain('Your comment is too long');
    expect(await getSurveyAnswer(customer.storeId, customer.orderId)).toBeUndefined();
  });

  it('a detractor answer alerts the store and says sorry; changing it keeps the earlier score', async () => {
    // Prepare
    const customer = await askedCustomer('detractor@example.com');
    // Act
    const response = await submitFrom(customer.surveyUrl(3), { score: '3', comment: 'The <b>lid</b> broke' });
    // Assess
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('Thank you!');
    expect(page).toContain('The &#60;b&#62;lid&#60;/b&#62; broke'); // escaped, still editable
    const answer = await getSurveyAnswer(customer.storeId, customer.orderId);
    expect(answer).toMatchObject({ kind: 'nps', score: 3, comment: 'The <b>lid</b> broke', changes: [] });
    const alert = await waitFor('the detractor alert', async () =>
      (await emailsTo(cloud, SUPPORT)).find(
        (mail) => header(mail, 'X-Aftercare-Step') === 'detractor-alert' && mail.body.text?.includes('detractor@'),
      ),
    );
    expect(alert.body.text).toContain('The <b>lid</b> broke');
    await waitFor('the sorry email', async () =>
      (await emailsTo(cloud, 'detractor@example.com')).find((mail) => header(mail, 'X-Aftercare-Step') === 'sorry'),
    );
    // Act: the customer changes their mind before the survey closes
    expect((await submitFrom(customer.surveyUrl(3), { score: '6', comment: 'Fixed now' })).status).toBe(200);
    const changed = await getSurveyAnswer(customer.storeId, customer.orderId);
    expect(changed).toMatchObject({ score: 6, comment: 'Fixed now', changes: [{ score: 3 }] });
  });

  it('a promoter answer brings the review request', async () => {
    const customer = await askedCustomer('promoter@example.com');
    expect((await submitFrom(customer.surveyUrl(10), { score: '10' })).status).toBe(200);
    await waitFor('the review request', async () =>
      (await emailsTo(cloud, 'promoter@example.com')).find(
        (mail) => header(mail, 'X-Aftercare-Step') === 'review-request',
      ),
    );
  });

  it('the preferences page unsubscribes from categories or everything, and subscribes again', async () => {
    // Prepare
    const customer = await askedCustomer('prefs@example.com', 'de');
    const url = customer.unsubscribeUrl;
    const preferences = async () => {
      const profile = await getProfile(customer.storeId, customer.customerKey);
      return { all: profile?.unsubscribedAll, categories: profile?.unsubscribed };
    };
    const shown = await (await fetch(url)).text();
    expect(shown).toContain('E-Mail-Einstellungen');
    expect(shown.match(/ checked>/g)).toHaveLength(4);
    // Act + Assess: a one-click post as multipart/form-data (some mail clients send it so)
    const multipart = new FormData();
    multipart.append('List-Unsubscribe', 'One-Click');
    expect((await fetch(url, { method: 'POST', body: multipart })).status).toBe(200);
    expect(await preferences()).toEqual({ all: true, categories: [] });
    expect(await (await fetch(url)).text()).toContain('value="resubscribe"');
    expect((await post(url, { action: 'resubscribe' })).status).toBe(403); // no CSRF token
    expect(
      (await post(url, { action: 'resubscribe', csrf: csrfOf(shown) }, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect(await preferences()).toEqual({ all: true, categories: [] });
    expect((await submitFrom(url, { action: 'resubscribe' })).status).toBe(200);
    expect(await preferences()).toEqual({ all: false, categories: [] });
    const saved = await submitFrom(url, { action: 'save', category: ['tips', 'warranty'] });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Ihre Einstellungen wurden gespeichert.');
    expect(await preferences()).toEqual({ all: false, categories: ['surveys', 'offers'] });
    const page = await (await fetch(url)).text();
    expect(page).toMatch(/id="category-tips" checked>/);
    expect(page).toMatch(/id="category-surveys">/);
    expect((await submitFrom(url, { action: 'unsubscribe-all' })).status).toBe(200);
    expect(await preferences()).toEqual({ all: true, categories: ['surveys', 'offers'] });
  });
});
