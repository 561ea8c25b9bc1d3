import { button, h, list, p, products, type TemplateDefinition } from '../model.ts';

const orderNumber = '{% if order.number %} {{ order.number }}{% endif %}';

/** Honest labels: a help page when the store has one, else the button opens an email to support. */
const helpOrMail = (page: string, mail: string) =>
  `{% if links.support contains 'mailto:' %}${mail}{% else %}${page}{% endif %}`;

/** Sent a day after delivery: thank you, what was bought, and how to get started. */
export const thanks: TemplateDefinition = {
  sections: [],
  requiredLinks: [],
  copy: {
    en: {
      subject: 'Thank you for your order at {{ store.name }}',
      preheader: 'A few tips to get off to a good start with your purchase.',
      blocks: [
        p(
          `Thank you for shopping with {{ store.name }}! We hope your order${orderNumber} arrived safely and that you’re as happy with it as we are.`,
        ),
        products,
        h('Getting started'),
        list(
          'Unpack everything and check that all the parts are there.',
          'Take five minutes for the quick-start guide: it covers the settings most people miss.',
          'Keep this email: your order number is all you need for warranty or support.',
        ),
        p('Stuck on anything? Just reply to this email and a real person from our team will help you.'),
        button(helpOrMail('Visit our help page', 'Email our support team'), 'links.support'),
      ],
    },
    nl: {
      subject: 'Bedankt voor je bestelling bij {{ store.name }}',
      preheader: 'Een paar tips om goed van start te gaan met je aankoop.',
      blocks: [
        p(
          `Bedankt dat je bij {{ store.name }} hebt besteld! We hopen dat je bestelling${orderNumber} goed is aangekomen en dat je er net zo blij mee bent als wij.`,
        ),
        products,
        h('Zo ga je van start'),
        list(
          'Pak alles uit en controleer of alle onderdelen er zijn.',
          'Neem vijf minuten de tijd voor de snelstartgids: daarin staan de instellingen die de meeste mensen over het hoofd zien.',
          'Bewaar deze e-mail: met je bestelnummer kun je altijd terecht voor garantie of hulp.',
        ),
        p(
          'Loop je ergens tegenaan? Beantwoord gewoon deze e-mail, dan helpt een echte collega van ons team je verder.',
        ),
        button(helpOrMail('Naar onze hulppagina', 'Mail onze klantenservice'), 'links.support'),
      ],
    },
    es: {
      subject: 'Gracias por tu pedido en {{ store.name }}',
      preheader: 'Algunos consejos para empezar con buen pie.',
      blocks: [
        p(
          `¡Gracias por comprar en {{ store.name }}! Esperamos que tu pedido${orderNumber} haya llegado en perfecto estado y que te guste tanto como a nosotros.`,
        ),
        products,
        h('Primeros pasos'),
        list(
          'Desembala todo y comprueba que no falta ninguna pieza.',
          'Dedica cinco minutos a la guía de inicio rápido: explica los ajustes que casi todo el mundo pasa por alto.',
          'Guarda este correo: con tu número de pedido tienes todo lo necesario para la garantía o el soporte.',
        ),
        p('¿Te has atascado con algo? Responde a este correo y una persona de nuestro equipo te ayudará.'),
        button(helpOrMail('Ir a nuestra página de ayuda', 'Escribe a nuestro equipo de soporte'), 'links.support'),
      ],
    },
    de: {
      subject: 'Vielen Dank für Ihre Bestellung bei {{ store.name }}',
      preheader: 'Ein paar Tipps für einen guten Start mit Ihrem Kauf.',
      blocks: [
        p(
          `Danke, dass Sie bei {{ store.name }} eingekauft haben! Wir hoffen, Ihre Bestellung${orderNumber} ist gut angekommen und gefällt Ihnen genauso gut wie uns.`,
        ),
        products,
        h('Die ersten Schritte'),
        list(
          'Packen Sie alles aus und prüfen Sie, ob alle Teile vorhanden sind.',
          'Nehmen Sie sich fünf Minuten für die Kurzanleitung: Dort stehen die Einstellungen, die die meisten übersehen.',
          'Bewahren Sie diese E-Mail auf: Mit Ihrer Bestellnummer haben Sie alles, was Sie für Garantie oder Support brauchen.',
        ),
        p(
          'Kommen Sie irgendwo nicht weiter? Antworten Sie einfach auf diese E-Mail – ein Mensch aus unserem Team hilft Ihnen.',
        ),
        button(helpOrMail('Zu unserer Hilfeseite', 'Schreiben Sie unserem Support'), 'links.support'),
      ],
    },
    fr: {
      subject: 'Merci pour votre commande chez {{ store.name }}',
      preheader: 'Quelques conseils pour bien démarrer avec votre achat.',
      blocks: [
        p(
          `Merci d’avoir choisi {{ store.name }}\u00a0! Nous espérons que votre commande${orderNumber} est bien arrivée et qu’elle vous plaît autant qu’à nous.`,
        ),
        products,
        h('Pour bien démarrer'),
        list(
          'Déballez tout et vérifiez que toutes les pièces sont présentes.',
          'Prenez cinq minutes pour lire le guide de démarrage rapide\u00a0: il présente les réglages que la plupart des gens oublient.',
          'Conservez cet e-mail\u00a0: votre numéro de commande suffit pour toute demande de garantie ou d’assistance.',
        ),
        p('Un souci\u00a0? Répondez simplement à cet e-mail, une vraie personne de notre équipe vous aidera.'),
        button(helpOrMail('Voir notre page d’aide', 'Écrire à notre service client'), 'links.support'),
      ],
    },
  },
};
