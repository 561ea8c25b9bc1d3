import type { Locale } from '../shared/domain/vocabulary.ts';
import { CATEGORIES } from '../shared/domain/vocabulary.ts';
import { type Brand, type Html, html, type Page, type PreferenceCategory, pageStrings } from '../shared/pages/index.ts';

export interface Preferences {
  unsubscribedAll: boolean;
  unsubscribed: PreferenceCategory[];
}

export interface PreferencesView {
  /** The link token: forms post back to it (relative, so it works behind any stage path). */
  token: string;
  csrf: string;
  locale: Locale;
  brand: Brand;
  preferences: Preferences;
  /** What the last post did. */
  done?: 'saved' | 'unsubscribed-all' | 'resubscribed';
  status?: number;
}

function formStart(view: PreferencesView): Html {
  return html`<form method="post" action="${view.token}"><input type="hidden" name="csrf" value="${view.csrf}">`;
}

/** Choose categories, unsubscribe from everything, or subscribe again. */
export function preferencesPage(view: PreferencesView): Page {
  const t = pageStrings(view.locale).preferences;
  const { unsubscribedAll, unsubscribed } = view.preferences;
  const store = view.brand.name;
  const receives = (category: PreferenceCategory) => !unsubscribedAll && !unsubscribed.includes(category);
  const body = html`<h1>${t.title}</h1>
${view.done === 'saved' ? html`<div class="notice" role="status"><p>${t.saved}</p></div>` : ''}
${view.done === 'resubscribed' ? html`<div class="notice" role="status"><p>${t.resubscribed}</p></div>` : ''}
${
  unsubscribedAll
    ? html`<div class="notice" role="status"><p>${t.unsubscribedAll(store)}</p>
${formStart(view)}<button type="submit" name="action" value="resubscribe">${t.resubscribe}</button></form></div>`
    : ''
}
<p>${t.intro(store)}</p>
${formStart(view)}
<fieldset>
<legend class="field">${t.legend}</legend>
${CATEGORIES.map(
  (category) =>
    html`<div class="choice"><input type="checkbox" name="category" value="${category}" id="category-${category}"${
      receives(category) ? html` checked` : ''
    }><label for="category-${category}">${t.categories[category].label}<span class="hint">${t.categories[category].hint}</span></label></div>`,
)}
</fieldset>
<button type="submit" name="action" value="save">${t.save}</button>
</form>
${
  unsubscribedAll
    ? ''
    : html`<section class="section" aria-labelledby="all-heading"><h2 id="all-heading">${t.allTitle}</h2><p>${t.allText(store)}</p>
${formStart(view)}<button type="submit" class="secondary" name="action" value="unsubscribe-all">${t.unsubscribeAll}</button></form></section>`
}`;
  return { status: view.status ?? 200, locale: view.locale, title: t.title, brand: view.brand, body };
}

/** The answer to an RFC 8058 one-click post (usually read by a mail client, rarely by a person). */
export function unsubscribedPage(view: { token: string; locale: Locale; brand: Brand }): Page {
  const t = pageStrings(view.locale).preferences;
  const text = t.unsubscribedAll(view.brand.name);
  return {
    status: 200,
    locale: view.locale,
    title: t.title,
    brand: view.brand,
    body: html`<h1>${text}</h1><p><a href="${view.token}">${t.manage}</a></p>`,
  };
}
