import { button, list, p, products, type TemplateDefinition } from '../model.ts';

const again = (repeat: string, first: string) =>
  `{% if maintenance.number > 1 %}${repeat}{% else %}${first}{% endif %}`;

/** Care reminders (descale, clean, replace the filter) every N days after delivery. */
export const maintenance: TemplateDefinition = {
  sections: ['maintenance'],
  requiredLinks: [],
  copy: {
    en: {
      subject: 'A quick care reminder from {{ store.name }}',
      preheader: 'A few minutes of care now keeps your purchase working like new.',
      blocks: [
        p(
          `${again('It’s time again for a little maintenance.', 'Your purchase has been working for you for a while now, so this is a good moment for a little maintenance.')} A few minutes of care keeps it working like new and helps it last for years.`,
        ),
        products,
        list(
          'Clean it as described in the manual, including the parts you don’t see every day.',
          'Check filters, seals and other wear parts, and replace them if they look worn.',
          'Descale or update it if the manual recommends it for your model.',
        ),
        p('Need a spare part, or not sure how to do something? Reply to this email and we’ll help you out.'),
        button('Get maintenance help', 'links.support'),
      ],
    },
    nl: {
      subject: 'Tijd voor wat onderhoud: een tip van {{ store.name }}',
      preheader: 'Een paar minuten onderhoud houdt je aankoop als nieuw.',
      blocks: [
        p(
          `${again('Het is weer tijd voor een klein onderhoudsmoment.', 'Je aankoop bewijst je al een tijdje goede diensten, dus dit is een mooi moment voor wat onderhoud.')} Met een paar minuten aandacht blijft alles werken als nieuw en gaat het jaren mee.`,
        ),
        products,
        list(
          'Maak alles schoon zoals beschreven in de handleiding, ook de onderdelen die je niet dagelijks ziet.',
          'Controleer filters, afdichtingen en andere slijtdelen en vervang ze als ze versleten zijn.',
          'Ontkalk of update het apparaat als de handleiding dat voor jouw model aanraadt.',
        ),
        p(
          'Heb je een onderdeel nodig of weet je niet precies hoe iets moet? Beantwoord deze e-mail, dan helpen we je verder.',
        ),
        button('Hulp bij onderhoud', 'links.support'),
      ],
    },
    es: {
      subject: 'Un recordatorio de mantenimiento de {{ store.name }}',
      preheader: 'Unos minutos de cuidado mantienen tu compra como nueva.',
      blocks: [
        p(
          `${again('Vuelve a ser momento de un pequeño mantenimiento.', 'Ya llevas un tiempo usando tu compra, así que es un buen momento para darle un poco de mantenimiento.')} Unos minutos de cuidado la mantienen como nueva y la hacen durar años.`,
        ),
        products,
        list(
          'Límpiala como indica el manual, incluidas las piezas que no ves a diario.',
          'Revisa los filtros, las juntas y otras piezas de desgaste, y cámbialas si están gastadas.',
          'Descalcifícala o actualízala si el manual lo recomienda para tu modelo.',
        ),
        p('¿Necesitas un recambio o no sabes muy bien cómo hacer algo? Responde a este correo y te ayudamos.'),
        button('Ayuda con el mantenimiento', 'links.support'),
      ],
    },
    de: {
      subject: 'Zeit für ein wenig Pflege: ein Tipp von {{ store.name }}',
      preheader: 'Ein paar Minuten Pflege halten Ihren Kauf wie neu.',
      blocks: [
        p(
          `${again('Es ist wieder Zeit für eine kleine Pflege.', 'Ihr Kauf leistet Ihnen nun schon eine Weile gute Dienste – ein guter Moment für eine kleine Pflege.')} Ein paar Minuten Aufmerksamkeit halten alles wie neu und sorgen dafür, dass es jahrelang hält.`,
        ),
        products,
        list(
          'Reinigen Sie alles wie in der Anleitung beschrieben, auch die Teile, die Sie nicht jeden Tag sehen.',
          'Prüfen Sie Filter, Dichtungen und andere Verschleißteile und ersetzen Sie sie, wenn sie abgenutzt sind.',
          'Entkalken oder aktualisieren Sie das Gerät, wenn die Anleitung es für Ihr Modell empfiehlt.',
        ),
        p(
          'Brauchen Sie ein Ersatzteil oder sind Sie unsicher, wie etwas geht? Antworten Sie auf diese E-Mail und wir helfen Ihnen weiter.',
        ),
        button('Hilfe zur Pflege', 'links.support'),
      ],
    },
    fr: {
      subject: 'Un petit rappel d’entretien de {{ store.name }}',
      preheader: 'Quelques minutes d’entretien gardent votre achat comme neuf.',
      blocks: [
        p(
          `${again('C’est à nouveau le moment d’un petit entretien.', 'Votre achat vous rend service depuis un moment déjà\u00a0: c’est le bon moment pour un petit entretien.')} Quelques minutes de soin le gardent comme neuf et l’aident à durer des années.`,
        ),
        products,
        list(
          'Nettoyez-le comme indiqué dans la notice, y compris les pièces que vous ne voyez pas tous les jours.',
          'Vérifiez les filtres, les joints et les autres pièces d’usure, et remplacez-les s’ils sont usés.',
          'Détartrez-le ou mettez-le à jour si la notice le recommande pour votre modèle.',
        ),
        p('Besoin d’une pièce de rechange ou d’un coup de main\u00a0? Répondez à cet e-mail et nous vous aiderons.'),
        button('Aide à l’entretien', 'links.support'),
      ],
    },
  },
};
