import { button, p, type TemplateDefinition } from '../model.ts';

const orderNumber = '{% if order.number %} {{ order.number }}{% endif %}';

/** A week or two after delivery: how is it going, can we help? */
export const checkIn: TemplateDefinition = {
  sections: [],
  requiredLinks: [],
  copy: {
    en: {
      subject: 'How is it going with your purchase?',
      preheader: 'Anything we can help with? Just hit reply.',
      blocks: [
        p(
          `It has been a little while since your order${orderNumber} arrived, so we wanted to check in: how is it going so far?`,
        ),
        p(
          'If something isn’t working the way you expected, or you’re not sure how to use a feature, we’d love to help. Reply to this email with your question; there is no form to fill in.',
        ),
        button('Get help', 'links.support'),
      ],
    },
    nl: {
      subject: 'Hoe bevalt je aankoop?',
      preheader: 'Kunnen we ergens mee helpen? Beantwoord gewoon deze e-mail.',
      blocks: [
        p(`Je bestelling${orderNumber} is al een tijdje binnen, dus we zijn benieuwd: hoe gaat het tot nu toe?`),
        p(
          'Werkt iets niet zoals je had verwacht, of weet je niet precies hoe een functie werkt? Dan helpen we je graag. Stuur je vraag als antwoord op deze e-mail; een formulier invullen is niet nodig.',
        ),
        button('Hulp vragen', 'links.support'),
      ],
    },
    es: {
      subject: '¿Qué tal con tu compra?',
      preheader: '¿Podemos ayudarte en algo? Solo tienes que responder.',
      blocks: [
        p(`Ya hace un tiempo que llegó tu pedido${orderNumber}, así que queríamos saber: ¿qué tal va todo?`),
        p(
          'Si algo no funciona como esperabas o tienes dudas sobre cómo usar alguna función, estaremos encantados de ayudarte. Responde a este correo con tu pregunta; no hace falta rellenar ningún formulario.',
        ),
        button('Pedir ayuda', 'links.support'),
      ],
    },
    de: {
      subject: 'Wie gefällt Ihnen Ihr Kauf?',
      preheader: 'Können wir Ihnen bei etwas helfen? Antworten Sie einfach.',
      blocks: [
        p(
          `Ihre Bestellung${orderNumber} ist nun schon eine Weile bei Ihnen – deshalb möchten wir kurz nachfragen: Wie läuft es bisher?`,
        ),
        p(
          'Falls etwas nicht so funktioniert, wie Sie es erwartet haben, oder Sie bei einer Funktion unsicher sind, helfen wir Ihnen gern. Antworten Sie einfach mit Ihrer Frage auf diese E-Mail – ganz ohne Formular.',
        ),
        button('Hilfe anfordern', 'links.support'),
      ],
    },
    fr: {
      subject: 'Tout se passe bien avec votre achat\u00a0?',
      preheader: 'Pouvons-nous vous aider\u00a0? Répondez simplement à cet e-mail.',
      blocks: [
        p(
          `Votre commande${orderNumber} est arrivée il y a quelque temps, alors nous voulions prendre de vos nouvelles\u00a0: tout se passe bien\u00a0?`,
        ),
        p(
          'Si quelque chose ne fonctionne pas comme prévu, ou si vous hésitez sur l’utilisation d’une fonction, nous serons ravis de vous aider. Répondez à cet e-mail avec votre question, sans passer par un formulaire.',
        ),
        button('Demander de l’aide', 'links.support'),
      ],
    },
  },
};
