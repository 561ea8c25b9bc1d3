import { h, p, surveyScale, type TemplateDefinition } from '../model.ts';
import { QUESTION } from './question.ts';

/** The one reminder for an unanswered survey. */
export const reminder: TemplateDefinition = {
  sections: ['survey'],
  requiredLinks: ['survey'],
  copy: {
    en: {
      subject: 'Do you have a moment for one question?',
      preheader: 'Answering takes one click and really helps {{ store.name }}.',
      blocks: [
        p(
          'A few days ago we asked you one quick question. In case it got buried in your inbox, here it is again; it only takes one click:',
        ),
        h(QUESTION.en),
        surveyScale,
        p('Thank you! Every answer helps us get better. This is the last time we ask.'),
      ],
    },
    nl: {
      subject: 'Heb je even tijd voor één vraag?',
      preheader: 'Antwoorden kost één klik en helpt {{ store.name }} echt verder.',
      blocks: [
        p(
          'Een paar dagen geleden stelden we je één korte vraag. Voor het geval die onderin je inbox is beland, hier is hij nog een keer; antwoorden kost maar één klik:',
        ),
        h(QUESTION.nl),
        surveyScale,
        p('Bedankt! Elk antwoord helpt ons beter te worden. Dit is de laatste keer dat we het vragen.'),
      ],
    },
    es: {
      subject: '¿Tienes un momento para una pregunta?',
      preheader: 'Responder lleva un clic y ayuda mucho a {{ store.name }}.',
      blocks: [
        p(
          'Hace unos días te hicimos una pregunta rápida. Por si se ha perdido en tu bandeja de entrada, aquí la tienes de nuevo; solo lleva un clic:',
        ),
        h(QUESTION.es),
        surveyScale,
        p('¡Gracias! Cada respuesta nos ayuda a mejorar. Es la última vez que te lo preguntamos.'),
      ],
    },
    de: {
      subject: 'Haben Sie kurz Zeit für eine Frage?',
      preheader: 'Die Antwort kostet einen Klick und hilft {{ store.name }} sehr.',
      blocks: [
        p(
          'Vor ein paar Tagen haben wir Ihnen eine kurze Frage gestellt. Falls sie in Ihrem Posteingang untergegangen ist, hier ist sie noch einmal – die Antwort kostet nur einen Klick:',
        ),
        h(QUESTION.de),
        surveyScale,
        p('Vielen Dank! Jede Antwort hilft uns, besser zu werden. Dies ist das letzte Mal, dass wir fragen.'),
      ],
    },
    fr: {
      subject: 'Avez-vous un instant pour une question\u00a0?',
      preheader: 'Répondre ne prend qu’un clic et aide beaucoup {{ store.name }}.',
      blocks: [
        p(
          'Il y a quelques jours, nous vous avons posé une petite question. Au cas où elle se serait perdue dans votre boîte de réception, la voici à nouveau\u00a0; il suffit d’un clic\u00a0:',
        ),
        h(QUESTION.fr),
        surveyScale,
        p('Merci\u00a0! Chaque réponse nous aide à nous améliorer. C’est la dernière fois que nous vous la posons.'),
      ],
    },
  },
};
