import { h, list, p, products, quote, type TemplateDefinition } from '../model.ts';
import { SCORE } from './question.ts';

const onOrder = (words: string) => `{% if order.number %} ${words} {{ order.number }}{% endif %}`;
const orNone = (variable: string) => `{{ ${variable} | default: '–' }}`;
const customer = `{% if survey.customerName %}{{ survey.customerName }}, {% endif %}${orNone('survey.customerEmail')}`;
const comment = '“{{ survey.comment }}”';
const signOff = '— Aftercare';

/** To the store's support address after a low score: who, what they said, what they bought. */
export const detractorAlert: TemplateDefinition = {
  sections: ['survey'],
  requiredLinks: [],
  copy: {
    en: {
      audience: 'store',
      subject: `Low score (${SCORE})${onOrder('on order')}`,
      preheader: 'A customer is unhappy. Reach out today, while it can still be put right.',
      greeting: 'Hello {{ store.name }} team,',
      signOff,
      footerNote:
        'Aftercare sends this alert to {{ store.supportEmail }} because it runs the satisfaction survey for {{ store.name }}.',
      blocks: [
        p(
          'A customer has just answered the satisfaction survey with a low score. Reaching out quickly and personally is the best chance to turn this around.',
        ),
        list(
          `Score: ${SCORE}`,
          `Order: ${orNone('order.number')}`,
          `Customer: ${customer}`,
          'Purchased on: {{ order.purchasedAt | date_long }}',
        ),
        p('Their comment:', 'survey.comment'),
        quote(comment, 'survey.comment'),
        h('Products ordered'),
        products,
        p(
          'The customer has been told that someone will contact them personally. Replying to this email writes to the customer directly.',
        ),
      ],
    },
    nl: {
      audience: 'store',
      subject: `Lage score (${SCORE})${onOrder('voor bestelling')}`,
      preheader: 'Een klant is ontevreden. Neem vandaag nog contact op, nu het nog goed te maken is.',
      greeting: 'Hallo team van {{ store.name }},',
      signOff,
      footerNote:
        'Aftercare stuurt deze melding naar {{ store.supportEmail }} omdat het de tevredenheidsenquête voor {{ store.name }} verstuurt.',
      blocks: [
        p(
          'Een klant heeft de tevredenheidsenquête zojuist met een lage score beantwoord. Snel en persoonlijk contact opnemen is de beste kans om het tij te keren.',
        ),
        list(
          `Score: ${SCORE}`,
          `Bestelling: ${orNone('order.number')}`,
          `Klant: ${customer}`,
          'Aankoopdatum: {{ order.purchasedAt | date_long }}',
        ),
        p('Opmerking van de klant:', 'survey.comment'),
        quote(comment, 'survey.comment'),
        h('Bestelde producten'),
        products,
        p(
          'De klant heeft te horen gekregen dat iemand persoonlijk contact opneemt. Een antwoord op deze e-mail gaat rechtstreeks naar de klant.',
        ),
      ],
    },
    es: {
      audience: 'store',
      subject: `Puntuación baja (${SCORE})${onOrder('en el pedido')}`,
      preheader: 'Un cliente no está contento. Contacta con él hoy, cuando aún se puede arreglar.',
      greeting: 'Hola, equipo de {{ store.name }}:',
      signOff,
      footerNote:
        'Aftercare envía este aviso a {{ store.supportEmail }} porque gestiona la encuesta de satisfacción de {{ store.name }}.',
      blocks: [
        p(
          'Un cliente acaba de responder a la encuesta de satisfacción con una puntuación baja. Contactar con él rápido y de forma personal es la mejor oportunidad para darle la vuelta a la situación.',
        ),
        list(
          `Puntuación: ${SCORE}`,
          `Pedido: ${orNone('order.number')}`,
          `Cliente: ${customer}`,
          'Fecha de compra: {{ order.purchasedAt | date_long }}',
        ),
        p('Comentario del cliente:', 'survey.comment'),
        quote(comment, 'survey.comment'),
        h('Productos del pedido'),
        products,
        p(
          'Al cliente se le ha dicho que alguien se pondrá en contacto con él personalmente. Si respondes a este correo, la respuesta le llega directamente al cliente.',
        ),
      ],
    },
    de: {
      audience: 'store',
      subject: `Niedrige Bewertung (${SCORE})${onOrder('zu Bestellung')}`,
      preheader: 'Ein Kunde ist unzufrieden. Melden Sie sich noch heute, solange es sich wiedergutmachen lässt.',
      greeting: 'Hallo Team von {{ store.name }},',
      signOff,
      footerNote:
        'Aftercare sendet diese Meldung an {{ store.supportEmail }}, weil es die Zufriedenheitsumfrage für {{ store.name }} durchführt.',
      blocks: [
        p(
          'Ein Kunde hat die Zufriedenheitsumfrage gerade mit einer niedrigen Bewertung beantwortet. Eine schnelle, persönliche Kontaktaufnahme ist die beste Chance, das Blatt zu wenden.',
        ),
        list(
          `Bewertung: ${SCORE}`,
          `Bestellung: ${orNone('order.number')}`,
          `Kunde: ${customer}`,
          'Kaufdatum: {{ order.purchasedAt | date_long }}',
        ),
        p('Kommentar des Kunden:', 'survey.comment'),
        quote(comment, 'survey.comment'),
        h('Bestellte Produkte'),
        products,
        p(
          'Dem Kunden wurde mitgeteilt, dass sich jemand persönlich meldet. Eine Antwort auf diese E-Mail geht direkt an den Kunden.',
        ),
      ],
    },
    fr: {
      audience: 'store',
      subject: `Note basse (${SCORE})${onOrder('pour la commande')}`,
      preheader: 'Un client est mécontent. Contactez-le aujourd’hui, tant que la situation peut encore être rattrapée.',
      greeting: 'Bonjour l’équipe {{ store.name }},',
      signOff,
      footerNote:
        'Aftercare envoie cette alerte à {{ store.supportEmail }} car il gère l’enquête de satisfaction de {{ store.name }}.',
      blocks: [
        p(
          'Un client vient de répondre à l’enquête de satisfaction avec une note basse. Le recontacter rapidement et personnellement est la meilleure chance de redresser la situation.',
        ),
        list(
          `Note\u00a0: ${SCORE}`,
          `Commande\u00a0: ${orNone('order.number')}`,
          `Client\u00a0: ${customer}`,
          'Date d’achat\u00a0: {{ order.purchasedAt | date_long }}',
        ),
        p('Commentaire du client\u00a0:', 'survey.comment'),
        quote(comment, 'survey.comment'),
        h('Produits commandés'),
        products,
        p(
          'Le client a été informé qu’une personne allait le contacter personnellement. En répondant à cet e-mail, vous écrivez directement au client.',
        ),
      ],
    },
  },
};
