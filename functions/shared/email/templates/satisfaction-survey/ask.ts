import { h, p, surveyScale, type TemplateDefinition } from '../model.ts';
import { QUESTION, SUBJECT } from './question.ts';

/** The survey: one question, one link per score. */
export const ask: TemplateDefinition = {
  sections: ['survey'],
  requiredLinks: ['survey'],
  copy: {
    en: {
      subject: SUBJECT.en,
      preheader: 'One click is all it takes, and it helps us a lot.',
      blocks: [
        p(
          'Thank you again for shopping with {{ store.name }}. We have one quick question for you, and answering takes a single click:',
        ),
        h(QUESTION.en),
        surveyScale,
        p('We read every answer. If there is anything you want to add, just reply to this email.'),
      ],
    },
    nl: {
      subject: SUBJECT.nl,
      preheader: 'Eén klik is genoeg, en je helpt ons er enorm mee.',
      blocks: [
        p(
          'Nogmaals bedankt voor je aankoop bij {{ store.name }}. We hebben één korte vraag voor je, en antwoorden kost maar één klik:',
        ),
        h(QUESTION.nl),
        surveyScale,
        p('We lezen elk antwoord. Wil je nog iets toelichten? Beantwoord dan gewoon deze e-mail.'),
      ],
    },
    es: {
      subject: SUBJECT.es,
      preheader: 'Basta con un clic, y nos ayuda muchísimo.',
      blocks: [
        p(
          'Gracias de nuevo por comprar en {{ store.name }}. Tenemos una pregunta rápida para ti y responder solo te llevará un clic:',
        ),
        h(QUESTION.es),
        surveyScale,
        p('Leemos todas las respuestas. Si quieres añadir algo, responde a este correo.'),
      ],
    },
    de: {
      subject: SUBJECT.de,
      preheader: 'Ein Klick genügt, und er hilft uns sehr.',
      blocks: [
        p(
          'Nochmals vielen Dank für Ihren Einkauf bei {{ store.name }}. Wir haben eine kurze Frage an Sie, und die Antwort kostet Sie nur einen Klick:',
        ),
        h(QUESTION.de),
        surveyScale,
        p('Wir lesen jede Antwort. Wenn Sie noch etwas ergänzen möchten, antworten Sie einfach auf diese E-Mail.'),
      ],
    },
    fr: {
      subject: SUBJECT.fr,
      preheader: 'Un seul clic suffit, et cela nous aide beaucoup.',
      blocks: [
        p(
          'Merci encore pour votre achat chez {{ store.name }}. Nous avons une petite question pour vous, et y répondre ne prend qu’un clic\u00a0:',
        ),
        h(QUESTION.fr),
        surveyScale,
        p(
          'Nous lisons toutes les réponses. Si vous souhaitez ajouter quelque chose, répondez simplement à cet e-mail.',
        ),
      ],
    },
  },
};
