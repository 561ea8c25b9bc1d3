import { p, type TemplateDefinition } from '../model.ts';

const orderNumber = '{% if order.number %} {{ order.number }}{% endif %}';

/** After a low score: an apology and a promise that a person will follow up. Not marketing. */
export const sorry: TemplateDefinition = {
  sections: ['survey'],
  requiredLinks: [],
  copy: {
    en: {
      subject: 'We’re sorry, and we’re on it',
      preheader: 'Thank you for your honest answer. Someone from {{ store.name }} will get back to you.',
      blocks: [
        p(
          'Thank you for your honest answer. We’re sorry your experience with {{ store.name }} wasn’t what it should have been.',
        ),
        p(
          `We’re on it: someone from our team is looking into your order${orderNumber} and will get back to you personally very soon.`,
        ),
        p(
          'If there is anything you want to add, such as what went wrong or what would make it right, just reply to this email.',
        ),
      ],
    },
    nl: {
      subject: 'Het spijt ons, en we gaan ermee aan de slag',
      preheader: 'Bedankt voor je eerlijke antwoord. Iemand van {{ store.name }} neemt contact met je op.',
      blocks: [
        p(
          'Bedankt voor je eerlijke antwoord. Het spijt ons dat je ervaring met {{ store.name }} niet was zoals die had moeten zijn.',
        ),
        p(
          `We gaan ermee aan de slag: iemand van ons team bekijkt je bestelling${orderNumber} en neemt binnenkort persoonlijk contact met je op.`,
        ),
        p(
          'Wil je nog iets kwijt, bijvoorbeeld wat er misging of wat het voor jou weer goed zou maken? Beantwoord dan gewoon deze e-mail.',
        ),
      ],
    },
    es: {
      subject: 'Lo sentimos, y ya estamos en ello',
      preheader: 'Gracias por tu sinceridad. Alguien de {{ store.name }} se pondrá en contacto contigo.',
      blocks: [
        p(
          'Gracias por tu respuesta sincera. Sentimos que tu experiencia con {{ store.name }} no haya sido la que debía.',
        ),
        p(
          `Ya estamos en ello: una persona de nuestro equipo está revisando tu pedido${orderNumber} y se pondrá en contacto contigo personalmente muy pronto.`,
        ),
        p(
          'Si quieres contarnos algo más, como qué salió mal o qué podríamos hacer para arreglarlo, responde a este correo.',
        ),
      ],
    },
    de: {
      subject: 'Das tut uns leid, und wir kümmern uns darum',
      preheader: 'Danke für Ihre ehrliche Antwort. Jemand von {{ store.name }} meldet sich bei Ihnen.',
      blocks: [
        p(
          'Vielen Dank für Ihre ehrliche Antwort. Es tut uns leid, dass Ihre Erfahrung mit {{ store.name }} nicht so war, wie sie sein sollte.',
        ),
        p(
          `Wir kümmern uns darum: Jemand aus unserem Team sieht sich Ihre Bestellung${orderNumber} an und meldet sich in Kürze persönlich bei Ihnen.`,
        ),
        p(
          'Möchten Sie noch etwas ergänzen, etwa was schiefgelaufen ist oder was es für Sie wiedergutmachen würde? Antworten Sie einfach auf diese E-Mail.',
        ),
      ],
    },
    fr: {
      subject: 'Nous sommes désolés, et nous nous en occupons',
      preheader: 'Merci pour votre réponse sincère. Quelqu’un de {{ store.name }} va vous recontacter.',
      blocks: [
        p(
          'Merci pour votre réponse sincère. Nous sommes désolés que votre expérience avec {{ store.name }} n’ait pas été à la hauteur.',
        ),
        p(
          `Nous nous en occupons\u00a0: une personne de notre équipe examine votre commande${orderNumber} et vous recontactera personnellement très bientôt.`,
        ),
        p(
          'Vous souhaitez ajouter quelque chose, par exemple ce qui n’a pas fonctionné ou ce qui arrangerait les choses\u00a0? Répondez simplement à cet e-mail.',
        ),
      ],
    },
  },
};
