import { button, p, type TemplateDefinition } from '../model.ts';

/** After a high score: ask for a public review. */
export const reviewRequest: TemplateDefinition = {
  sections: [],
  requiredLinks: ['review'],
  copy: {
    en: {
      subject: 'Would you share your experience with {{ store.name }}?',
      preheader: 'A short review helps other customers choose, and it takes two minutes.',
      blocks: [
        p('Thank you for your kind answer. We’re really glad you’re happy with your purchase!'),
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
        p('Bedankt voor je positieve antwoord. Wat fijn dat je blij bent met je aankoop!'),
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
        p('Gracias por tu respuesta. ¡Nos alegra mucho que tu compra te haya gustado!'),
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
        p('Danke für Ihre freundliche Antwort. Es freut uns sehr, dass Sie mit Ihrem Kauf zufrieden sind!'),
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
        p('Merci pour votre réponse. Nous sommes ravis que votre achat vous plaise\u00a0!'),
        p(
          'Accepteriez-vous de partager votre expérience dans un court avis\u00a0? Cela prend environ deux minutes et aide d’autres clients à choisir en toute confiance.',
        ),
        button('Laisser un avis', 'links.review'),
        p('Merci de soutenir {{ store.name }}.'),
      ],
    },
  },
};
