import type { Locale } from '#shared/domain/vocabulary.ts';

const byKind = (nps: string, csat: string) => `{% if survey.kind == 'nps' %}${nps}{% else %}${csat}{% endif %}`;

/** The survey question itself, NPS or CSAT, shared by the ask and the reminder. */
export const QUESTION: Record<Locale, string> = {
  en: byKind(
    'How likely are you to recommend {{ store.name }} to a friend or colleague?',
    'How satisfied are you with your purchase from {{ store.name }}?',
  ),
  nl: byKind(
    'Hoe waarschijnlijk is het dat je {{ store.name }} aanraadt aan een vriend of collega?',
    'Hoe tevreden ben je over je aankoop bij {{ store.name }}?',
  ),
  es: byKind(
    '¿Qué probabilidad hay de que recomiendes {{ store.name }} a un amigo o compañero?',
    '¿Cuál es tu grado de satisfacción con tu compra en {{ store.name }}?',
  ),
  de: byKind(
    'Wie wahrscheinlich ist es, dass Sie {{ store.name }} einem Freund oder Kollegen empfehlen?',
    'Wie zufrieden sind Sie mit Ihrem Kauf bei {{ store.name }}?',
  ),
  fr: byKind(
    'Quelle est la probabilité que vous recommandiez {{ store.name }} à un ami ou un collègue\u00a0?',
    'Dans quelle mesure êtes-vous satisfait(e) de votre achat chez {{ store.name }}\u00a0?',
  ),
};

/** "4/10" or "2/5"; a missing score shows as "?". */
export const SCORE = `{{ survey.score | default: '?' }}/{% if survey.kind == 'nps' %}10{% else %}5{% endif %}`;

/** The survey's subject: short enough for a phone's inbox (≤ 60 characters); the full question is inside. */
export const SUBJECT: Record<Locale, string> = {
  en: 'One quick question about {{ store.name }}',
  nl: 'Eén korte vraag over {{ store.name }}',
  es: 'Una pregunta rápida sobre {{ store.name }}',
  de: 'Eine kurze Frage zu {{ store.name }}',
  fr: 'Une petite question sur {{ store.name }}',
};
