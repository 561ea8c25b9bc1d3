import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { nowIso } from '../shared/clock.ts';
import { CATEGORIES } from '../shared/domain/vocabulary.ts';
import {
  assertPostedFromOurPage,
  csrfToken,
  gone,
  type Link,
  linkContext,
  openLink,
  type Page,
  type PreferenceCategory,
  readForm,
} from '../shared/pages/index.ts';
import { getProfile, setPreferences } from '../shared/store/customers.ts';
import { type Preferences, type PreferencesView, preferencesPage, unsubscribedPage } from './page.ts';

const formSchema = z.object({
  action: z.enum(['save', 'unsubscribe-all', 'resubscribe']),
  categories: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length),
});

async function currentPreferences(link: Link): Promise<Preferences> {
  const profile = await getProfile(link.payload.s, link.payload.c);
  return {
    unsubscribedAll: profile?.unsubscribedAll === true,
    unsubscribed: (profile?.unsubscribed ?? []).filter((c): c is PreferenceCategory => c !== 'service'),
  };
}

async function open(event: APIGatewayProxyEventV2) {
  const link = await openLink(event, 'unsubscribe');
  const context = await linkContext(link.payload);
  // After a redaction an old link must not write a preferences profile again: it is gone with the customer's data.
  if (context.redacted) throw gone(context);
  return { link, context };
}

async function view(link: Link, context: Awaited<ReturnType<typeof open>>['context']) {
  if (!context.brand) throw gone(context);
  return {
    token: link.token,
    csrf: await csrfToken(link.token, 'unsubscribe'),
    locale: context.locale,
    brand: context.brand,
  } satisfies Partial<PreferencesView>;
}

/** GET /u/{token}: the preferences page, pre-filled from the profile. Never changes anything. */
export async function showPreferences(event: APIGatewayProxyEventV2): Promise<Page> {
  const { link, context } = await open(event);
  return preferencesPage({ ...(await view(link, context)), preferences: await currentPreferences(link) });
}

/**
 * POST /u/{token}. `List-Unsubscribe=One-Click` (RFC 8058, posted by mail clients without any page) unsubscribes
 * from everything at once; otherwise the preferences form (CSRF-protected): save categories, all, or re-subscribe.
 */
export async function changePreferences(event: APIGatewayProxyEventV2): Promise<Page> {
  const { link, context } = await open(event);
  const { s: storeId, c: customerKey } = link.payload;
  const fields = readForm(event);
  const current = await currentPreferences(link);

  if (fields.get('List-Unsubscribe') === 'One-Click') {
    await setPreferences(storeId, customerKey, { ...current, unsubscribedAll: true }, nowIso());
    const brand = context.brand ?? { name: context.store?.name ?? storeId, color: '#374151' };
    return unsubscribedPage({ token: link.token, locale: context.locale, brand });
  }

  await assertPostedFromOurPage(event, fields, link.token, 'unsubscribe');
  const base = await view(link, context);
  const parsed = formSchema.safeParse({ action: fields.get('action'), categories: fields.getAll('category') });
  if (!parsed.success) return preferencesPage({ ...base, preferences: current, status: 400 });
  const { action, categories } = parsed.data;
  const next: Preferences =
    action === 'save'
      ? { unsubscribedAll: false, unsubscribed: CATEGORIES.filter((category) => !categories.includes(category)) }
      : action === 'unsubscribe-all'
        ? { ...current, unsubscribedAll: true }
        : { unsubscribedAll: false, unsubscribed: [] };
  await setPreferences(storeId, customerKey, next, nowIso());
  const done = action === 'save' ? 'saved' : action === 'unsubscribe-all' ? 'unsubscribed-all' : 'resubscribed';
  return preferencesPage({ ...base, preferences: next, done });
}
