import { button, p, type TemplateDefinition } from '../model.ts';

/** After any survey answer (no review gating): ask for an honest public review, good or bad. */
export const reviewRequest: TemplateDefinition = {
  sections: [],
  requiredLinks: ['review'],
  copy: {
    en: {
      subject: 'Would you share your experience with {{ store.name }}?',
      preheader: 'A short review helps other customers choose, and it takes two minutes.',
      blocks: [
        p('Thank you for answering our survey. Your opinion matters to us, whatever it is.'),
        p(
          'Would you share your experience in a short review? It takes about two minutes and helps other customers choose with confidence.',
        ),
        button('Write a review', 'links.review'),
        p('Thank you for supporting {{ store.name }}.'),
      ],
    },
    nl: {
      subject: 'Wil je je ervaring met {{ store.name }} delen?',
      preheader: 'Een korte review helpt andere klanten kiezen, en het kost maar twee minuten.',
      blocks: [
        p('Bedankt voor je antwoord op onze enquête. Je mening telt voor ons, hoe die ook is.'),
        p(
          'Wil je je ervaring delen in een korte review? Het kost ongeveer twee minuten en helpt andere klanten om met vertrouwen te kiezen.',
        ),
        button('Schrijf een review', 'links.review'),
        p('Bedankt dat je {{ store.name }} steunt.'),
      ],
    },
    es: {
      subject: '¿Compartirías tu experiencia con {{ store.name }}?',
      preheader: 'Una breve reseña ayuda a otros clientes a decidir, y solo lleva dos minutos.',
      blocks: [
        p('Gracias por responder a nuestra encuesta. Tu opinión nos importa, sea cual sea.'),
        p(
          '¿Te animas a contar tu experiencia en una breve reseña? Lleva unos dos minutos y ayuda a otros clientes a elegir con confianza.',
        ),
        button('Escribir una reseña', 'links.review'),
        p('Gracias por apoyar a {{ store.name }}.'),
      ],
    },
    de: {
      subject: 'Möchten Sie Ihre Erfahrung mit {{ store.name }} teilen?',
      preheader: 'Eine kurze Bewertung hilft anderen bei der Wahl und ist in zwei Minuten geschrieben.',
      blocks: [
        p(
          'Danke, dass Sie an unserer Umfrage teilgenommen haben. Ihre Meinung ist uns wichtig, wie auch immer sie ausfällt.',
        ),
        p(
          'Möchten Sie Ihre Erfahrung in einer kurzen Bewertung teilen? Das dauert etwa zwei Minuten und hilft anderen Kunden, sich sicher zu entscheiden.',
        ),
        button('Bewertung schreiben', 'links.review'),
        p('Vielen Dank, dass Sie {{ store.name }} unterstützen.'),
      ],
    },
    fr: {
      subject: 'Partageriez-vous votre expérience avec {{ store.name }}\u00a0?',
      preheader: 'Un court avis aide d’autres clients à choisir, et ne prend que deux minutes.',
      blocks: [
        p('Merci d’avoir répondu à notre enquête. Votre avis compte pour nous, quel qu’il soit.'),
        p(
          'Accepteriez-vous de partager votre expérience dans un court avis\u00a0? Cela prend environ deux minutes et aide d’autres clients à choisir en toute confiance.',
        ),
        button('Laisser un avis', 'links.review'),
        p('Merci de soutenir {{ store.name }}.'),
      ],
    },
  },
};
