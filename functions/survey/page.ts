import type { Locale } from '../shared/domain/vocabulary.ts';
import { type Brand, html, type Page, pageStrings, type SurveyKind } from '../shared/pages/index.ts';

export interface SurveyView {
  /** The link token: the form posts back to it (relative, so it works behind any stage path). */
  token: string;
  csrf: string;
  locale: Locale;
  brand: Brand;
  kind: SurveyKind;
  /** ask: not answered yet; saved: just stored (thank you); answered: stored earlier. */
  state: 'ask' | 'saved' | 'answered';
  selected?: number | undefined;
  comment?: string | undefined;
  /** A score came with the email link: preselected, with the button focused, so one tap sends it. */
  fromLink?: boolean;
  errors?: { score?: boolean; comment?: boolean };
  status?: number;
}

export function scoresOf(kind: SurveyKind): number[] {
  return kind === 'nps' ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] : [1, 2, 3, 4, 5];
}

// Nothing answers on its own: a mail gateway's link scanner may run the page's scripts in a browser that hides
// every sign of automation. The score the email link carries is only preselected; a person's tap on the button
// (one click in the email, one tap on the page) sends it. Without that gesture nothing is recorded.

/** The survey question, a comment box and a submit button; after an answer, the same form to change it. */
export function surveyPage(view: SurveyView): Page {
  const t = pageStrings(view.locale).survey;
  const scores = scoresOf(view.kind);
  const [low, high] = t.ends[view.kind];
  const question = t.question[view.kind](view.brand.name);
  const errors = view.errors ?? {};
  const saved = view.state === 'saved';
  const describedBy = ['scale-ends', errors.score ? 'score-error' : ''].filter(Boolean).join(' ');
  const body = html`
${saved ? html`<h1>${t.thanks}</h1><div class="notice" role="status"><p>${t.saved}</p><p>${t.changeable}</p></div>` : ''}
${view.state === 'answered' ? html`<div class="notice" role="status"><p>${t.answered} ${t.changeable}</p></div>` : ''}
<form id="survey-form" method="post" action="${view.token}">
<input type="hidden" name="csrf" value="${view.csrf}">
<fieldset aria-describedby="${describedBy}">
<legend>${saved ? html`<span class="question">${question}</span>` : html`<h1>${question}</h1>`}</legend>
${errors.score ? html`<p class="error" id="score-error">${t.chooseScore}</p>` : ''}
<div class="scores scores-${scores.length}">
${scores.map(
  (score) =>
    html`<div class="score"><input type="radio" name="score" id="score-${score}" value="${score}" required${
      score === view.selected ? html` checked` : ''
    }><label for="score-${score}">${score}</label></div>`,
)}
</div>
<p class="ends" id="scale-ends"><span>${low}</span><span>${high}</span></p>
</fieldset>
<label class="field" for="comment">${t.commentLabel} <span class="hint" id="comment-hint">${t.commentHint}</span></label>
${errors.comment ? html`<p class="error" id="comment-error">${t.commentTooLong}</p>` : ''}
<textarea id="comment" name="comment" rows="4" maxlength="2000" aria-describedby="comment-hint${
    errors.comment ? ' comment-error' : ''
  }">${view.comment ?? ''}</textarea>
<button type="submit"${view.fromLink ? html` autofocus` : ''}>${view.state === 'ask' ? t.send : t.update}</button>
</form>`;
  return {
    status: view.status ?? 200,
    locale: view.locale,
    title: saved ? t.thanks : t.title,
    brand: view.brand,
    body,
  };
}
