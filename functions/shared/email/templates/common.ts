import type { Locale } from '../../domain/vocabulary.ts';

/** Copy shared by every template of a language: greeting, sign-off, footer, labels. */
export interface CommonCopy {
  greeting: string;
  signOff: string;
  footerNote: string;
  supportLine: string;
  unsubscribe: string;
  preferences: string;
  total: string;
  scaleLegend: string;
  /** The accessible name of one score link (`option.score`), e.g. "7 out of 10". */
  scoreLabel: string;
  /** The footer link to the store's help page (`store.helpUrl`). */
  helpPage: string;
  /** Between a label and its value in the text part (French puts a space before the colon). */
  colon: string;
}

const firstName = (prefix: string) => `{% if customer.firstName %}${prefix}{{ customer.firstName }}{% endif %}`;
const OUT_OF = `{% if survey.kind == 'nps' %}10{% else %}5{% endif %}`;
const byKind = (nps: string, csat: string) => `{% if survey.kind == 'nps' %}${nps}{% else %}${csat}{% endif %}`;

export const COMMON: Record<Locale, CommonCopy> = {
  en: {
    greeting: `Hi${firstName(' ')},`,
    signOff: 'Warm regards,\nThe {{ store.name }} team',
    footerNote: 'You are receiving this email because you bought from {{ store.name }}.',
    supportLine: 'Questions? Write to us at',
    unsubscribe: 'Unsubscribe',
    preferences: 'Email preferences',
    total: 'Total',
    scaleLegend: byKind('0 = not at all likely, 10 = extremely likely', '1 = very dissatisfied, 5 = very satisfied'),
    scoreLabel: `{{ option.score }} out of ${OUT_OF}`,
    helpPage: 'Help centre',
    colon: ': ',
  },
  nl: {
    greeting: `Hallo${firstName(' ')},`,
    signOff: 'Hartelijke groet,\nHet team van {{ store.name }}',
    footerNote: 'Je ontvangt deze e-mail omdat je iets hebt gekocht bij {{ store.name }}.',
    supportLine: 'Vragen? Mail ons op',
    unsubscribe: 'Afmelden',
    preferences: 'E-mailvoorkeuren',
    total: 'Totaal',
    scaleLegend: byKind(
      '0 = zeer onwaarschijnlijk, 10 = zeer waarschijnlijk',
      '1 = zeer ontevreden, 5 = zeer tevreden',
    ),
    scoreLabel: `{{ option.score }} van de ${OUT_OF}`,
    helpPage: 'Helpcentrum',
    colon: ': ',
  },
  es: {
    greeting: `Hola${firstName(', ')}:`,
    signOff: 'Un saludo,\nEl equipo de {{ store.name }}',
    footerNote: 'Recibes este correo porque compraste en {{ store.name }}.',
    supportLine: '¿Tienes alguna pregunta? Escríbenos a',
    unsubscribe: 'Darse de baja',
    preferences: 'Preferencias de correo',
    total: 'Total',
    scaleLegend: byKind('0 = nada probable, 10 = muy probable', '1 = muy insatisfecho, 5 = muy satisfecho'),
    scoreLabel: `{{ option.score }} de ${OUT_OF}`,
    helpPage: 'Centro de ayuda',
    colon: ': ',
  },
  de: {
    greeting: `Hallo${firstName(' ')},`,
    signOff: 'Viele Grüße\nIhr Team von {{ store.name }}',
    footerNote: 'Sie erhalten diese E-Mail, weil Sie bei {{ store.name }} eingekauft haben.',
    supportLine: 'Fragen? Schreiben Sie uns an',
    unsubscribe: 'Abmelden',
    preferences: 'E-Mail-Einstellungen',
    total: 'Gesamt',
    scaleLegend: byKind(
      '0 = sehr unwahrscheinlich, 10 = sehr wahrscheinlich',
      '1 = sehr unzufrieden, 5 = sehr zufrieden',
    ),
    scoreLabel: `{{ option.score }} von ${OUT_OF}`,
    helpPage: 'Hilfe-Center',
    colon: ': ',
  },
  fr: {
    greeting: `Bonjour${firstName(' ')},`,
    signOff: 'Bien cordialement,\nL’équipe {{ store.name }}',
    footerNote: 'Vous recevez cet e-mail parce que vous avez effectué un achat chez {{ store.name }}.',
    supportLine: 'Une question\u00a0? Écrivez-nous à',
    unsubscribe: 'Se désabonner',
    preferences: 'Préférences e-mail',
    total: 'Total',
    scaleLegend: byKind('0 = pas du tout probable, 10 = très probable', '1 = très insatisfait, 5 = très satisfait'),
    scoreLabel: `{{ option.score }} sur ${OUT_OF}`,
    helpPage: 'Centre d’aide',
    colon: '\u00a0: ',
  },
};
