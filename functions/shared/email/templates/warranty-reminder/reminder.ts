import { button, h, list, p, products, type TemplateDefinition } from '../model.ts';

const endsAt = '{{ warranty.endsAt | date_long }}';
const onOrder = (words: string) => `{% if order.number %} (${words} {{ order.number }}){% endif %}`;

/** Before the warranty ends: when, what is covered, how to claim. A service email, not marketing. */
export const warrantyReminder: TemplateDefinition = {
  sections: ['warranty'],
  requiredLinks: [],
  copy: {
    en: {
      subject: `Your warranty from {{ store.name }} ends on ${endsAt}`,
      preheader: 'Is everything still working as it should? Now is the time to tell us.',
      blocks: [
        p(
          `The warranty on your purchase${onOrder('order')} ends on ${endsAt}. If anything isn’t working as it should, let us know now: a repair or replacement under warranty costs you nothing.`,
        ),
        products,
        h('What the warranty covers'),
        list(
          'Defects in materials and manufacturing.',
          'Parts that stop working during normal use.',
          'Not covered: accidental damage, misuse and normal wear of consumables.',
        ),
        h('How to make a claim'),
        p(
          `Reply to this email or contact our support before ${endsAt} with your order number, a short description of the problem and, if you can, a photo or video. We’ll tell you the next step within a few working days.`,
        ),
        button('Contact support', 'links.support'),
      ],
    },
    nl: {
      subject: `Je garantie bij {{ store.name }} loopt af op ${endsAt}`,
      preheader: 'Werkt alles nog zoals het hoort? Dit is het moment om het te melden.',
      blocks: [
        p(
          `De garantie op je aankoop${onOrder('bestelling')} loopt af op ${endsAt}. Werkt er iets niet zoals het hoort? Laat het ons dan nu weten: reparatie of vervanging onder garantie kost je niets.`,
        ),
        products,
        h('Wat valt onder de garantie'),
        list(
          'Materiaal- en fabricagefouten.',
          'Onderdelen die bij normaal gebruik niet meer werken.',
          'Niet gedekt: schade door ongelukken, verkeerd gebruik en normale slijtage van verbruiksartikelen.',
        ),
        h('Zo dien je een claim in'),
        p(
          `Beantwoord deze e-mail of neem vóór ${endsAt} contact op met onze klantenservice. Vermeld je bestelnummer, een korte omschrijving van het probleem en, als dat lukt, een foto of video. We laten je binnen een paar werkdagen weten wat de volgende stap is.`,
        ),
        button('Contact opnemen', 'links.support'),
      ],
    },
    es: {
      subject: `Tu garantía de {{ store.name }} vence el ${endsAt}`,
      preheader: '¿Todo sigue funcionando bien? Este es el momento de decírnoslo.',
      blocks: [
        p(
          `La garantía de tu compra${onOrder('pedido')} vence el ${endsAt}. Si algo no funciona como debería, avísanos ahora: la reparación o sustitución en garantía no te cuesta nada.`,
        ),
        products,
        h('Qué cubre la garantía'),
        list(
          'Defectos de materiales y de fabricación.',
          'Piezas que dejan de funcionar con un uso normal.',
          'No cubre: daños accidentales, uso indebido ni el desgaste normal de los consumibles.',
        ),
        h('Cómo hacer una reclamación'),
        p(
          `Responde a este correo o contacta con nuestro servicio de atención al cliente antes del ${endsAt} indicando tu número de pedido, una breve descripción del problema y, si puedes, una foto o un vídeo. Te diremos el siguiente paso en unos días laborables.`,
        ),
        button('Contactar con soporte', 'links.support'),
      ],
    },
    de: {
      subject: `Ihre Garantie bei {{ store.name }} endet am ${endsAt}`,
      preheader: 'Funktioniert noch alles, wie es soll? Jetzt ist der richtige Zeitpunkt, es uns zu sagen.',
      blocks: [
        p(
          `Die Garantie auf Ihren Kauf${onOrder('Bestellung')} endet am ${endsAt}. Falls etwas nicht so funktioniert, wie es soll, sagen Sie uns jetzt Bescheid: Reparatur oder Ersatz im Rahmen der Garantie sind für Sie kostenlos.`,
        ),
        products,
        h('Was die Garantie abdeckt'),
        list(
          'Material- und Herstellungsfehler.',
          'Teile, die bei normalem Gebrauch ausfallen.',
          'Nicht abgedeckt: Unfallschäden, unsachgemäßer Gebrauch und normaler Verschleiß von Verbrauchsteilen.',
        ),
        h('So melden Sie einen Garantiefall'),
        p(
          `Antworten Sie auf diese E-Mail oder wenden Sie sich vor dem ${endsAt} an unseren Kundenservice – mit Ihrer Bestellnummer, einer kurzen Beschreibung des Problems und, wenn möglich, einem Foto oder Video. Wir melden uns innerhalb weniger Werktage mit dem nächsten Schritt.`,
        ),
        button('Kundenservice kontaktieren', 'links.support'),
      ],
    },
    fr: {
      subject: `Votre garantie {{ store.name }} prend fin le ${endsAt}`,
      preheader: 'Tout fonctionne-t-il toujours comme il faut\u00a0? C’est le moment de nous le dire.',
      blocks: [
        p(
          `La garantie de votre achat${onOrder('commande')} prend fin le ${endsAt}. Si quelque chose ne fonctionne pas comme il le devrait, signalez-le-nous dès maintenant\u00a0: la réparation ou le remplacement sous garantie ne vous coûte rien.`,
        ),
        products,
        h('Ce que couvre la garantie'),
        list(
          'Les défauts de matériaux et de fabrication.',
          'Les pièces qui cessent de fonctionner dans le cadre d’une utilisation normale.',
          'Non couverts\u00a0: les dommages accidentels, la mauvaise utilisation et l’usure normale des consommables.',
        ),
        h('Comment faire une demande'),
        p(
          `Répondez à cet e-mail ou contactez notre service client avant le ${endsAt} en indiquant votre numéro de commande, une brève description du problème et, si possible, une photo ou une vidéo. Nous vous indiquerons la marche à suivre sous quelques jours ouvrés.`,
        ),
        button('Contacter le service client', 'links.support'),
      ],
    },
  },
};
