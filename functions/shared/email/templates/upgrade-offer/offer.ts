import { button, callout, p, type TemplateDefinition } from '../model.ts';

const expiresAt = '{{ offer.codeExpiresAt | date_long }}';
const hasCode = 'offer.code';
const hasExpiry = 'offer.code and offer.codeExpiresAt';
const hasDiscount = 'offer.code and offer.discount';
/** A code from the store's pool of single-use codes: only then is it called the customer's own. */
const hasSingleUse = 'offer.code and offer.singleUse';
/** The preheader states the discount when there is one, and an expiry only when the store's code really has one. */
const withCode = (code: string, discount: string, expiry: string, noCode: string) =>
  `{% if offer.code %}${code}{% if offer.discount %}${discount}{% endif %}` +
  `{% if offer.codeExpiresAt %}${expiry}{% endif %}.{% else %}${noCode}{% endif %}`;

/**
 * The upgrade or refill that fits the purchase, with the store's discount code: a shared code is never called
 * personal, a single-use one from the pool says it is the customer's own; its discount stated, its expiry shown only when the store configured one.
 */
export const offer: TemplateDefinition = {
  sections: ['offer'],
  requiredLinks: ['offer'],
  copy: {
    en: {
      subject: 'Made for your purchase: {{ offer.title }}',
      preheader: withCode(
        'Your discount code is inside',
        ' for {{ offer.discount }} off',
        `, valid until ${expiresAt}`,
        'A good match for what you already have.',
      ),
      blocks: [
        p(
          'Since you bought from {{ store.name }}, we thought this might interest you: {{ offer.title }}. It’s a good match for what you already have, whether it’s time to refill, replace or upgrade.',
        ),
        p('Your discount code:', hasCode),
        callout('{{ offer.code }}', hasCode),
        p('This code is yours alone and works once.', hasSingleUse),
        p('With this code you get {{ offer.discount }} off.', hasDiscount),
        p(`The code is valid until ${expiresAt}.`, hasExpiry),
        button('View {{ offer.title }}', 'links.offer'),
        p('Not interested? No problem, you can simply ignore this email.'),
      ],
    },
    nl: {
      subject: 'Speciaal bij je aankoop: {{ offer.title }}',
      preheader: withCode(
        'Je kortingscode staat erin',
        ' voor {{ offer.discount }} korting',
        `, geldig tot en met ${expiresAt}`,
        'Past precies bij wat je al hebt.',
      ),
      blocks: [
        p(
          'Omdat je bij {{ store.name }} hebt gekocht, dachten we dat dit je misschien interesseert: {{ offer.title }}. Het past goed bij wat je al hebt, of het nu tijd is om bij te vullen, te vervangen of te upgraden.',
        ),
        p('Je kortingscode:', hasCode),
        callout('{{ offer.code }}', hasCode),
        p('Deze code is alleen voor jou en werkt één keer.', hasSingleUse),
        p('Met deze code krijg je {{ offer.discount }} korting.', hasDiscount),
        p(`De code is geldig tot en met ${expiresAt}.`, hasExpiry),
        button('Bekijk {{ offer.title }}', 'links.offer'),
        p('Geen interesse? Geen probleem, dan kun je deze e-mail gewoon negeren.'),
      ],
    },
    es: {
      subject: 'Pensado para tu compra: {{ offer.title }}',
      preheader: withCode(
        'Dentro tienes tu código de descuento',
        ' con un {{ offer.discount }} de descuento',
        `, válido hasta el ${expiresAt}`,
        'Combina a la perfección con lo que ya tienes.',
      ),
      blocks: [
        p(
          'Como compraste en {{ store.name }}, pensamos que esto podría interesarte: {{ offer.title }}. Combina muy bien con lo que ya tienes, tanto si toca reponer como cambiar o mejorar.',
        ),
        p('Tu código de descuento:', hasCode),
        callout('{{ offer.code }}', hasCode),
        p('Este código es solo para ti y se puede usar una vez.', hasSingleUse),
        p('Con este código tienes un {{ offer.discount }} de descuento.', hasDiscount),
        p(`El código es válido hasta el ${expiresAt}.`, hasExpiry),
        button('Ver {{ offer.title }}', 'links.offer'),
        p('¿No te interesa? No pasa nada, puedes ignorar este correo.'),
      ],
    },
    de: {
      subject: 'Passend zu Ihrem Kauf: {{ offer.title }}',
      preheader: withCode(
        'Ihr Rabattcode ist dabei',
        ' für {{ offer.discount }} Rabatt',
        `, gültig bis zum ${expiresAt}`,
        'Passt perfekt zu dem, was Sie schon haben.',
      ),
      blocks: [
        p(
          'Da Sie bei {{ store.name }} eingekauft haben, könnte Sie das interessieren: {{ offer.title }}. Es passt gut zu dem, was Sie bereits haben – ob zum Nachfüllen, Ersetzen oder Aufrüsten.',
        ),
        p('Ihr Rabattcode:', hasCode),
        callout('{{ offer.code }}', hasCode),
        p('Dieser Code gilt nur für Sie und ist einmal einlösbar.', hasSingleUse),
        p('Mit diesem Code erhalten Sie {{ offer.discount }} Rabatt.', hasDiscount),
        p(`Der Code ist bis zum ${expiresAt} gültig.`, hasExpiry),
        button('{{ offer.title }} ansehen', 'links.offer'),
        p('Kein Interesse? Kein Problem, ignorieren Sie diese E-Mail einfach.'),
      ],
    },
    fr: {
      subject: 'Pensé pour votre achat\u00a0: {{ offer.title }}',
      preheader: withCode(
        'Votre code de réduction est à l’intérieur',
        ' pour {{ offer.discount }} de réduction',
        `, valable jusqu’au ${expiresAt}`,
        'Le complément idéal de ce que vous avez déjà.',
      ),
      blocks: [
        p(
          'Comme vous avez fait un achat chez {{ store.name }}, ceci pourrait vous intéresser\u00a0: {{ offer.title }}. C’est le complément idéal de ce que vous avez déjà, qu’il s’agisse de recharger, de remplacer ou de passer à un modèle supérieur.',
        ),
        p('Votre code de réduction\u00a0:', hasCode),
        callout('{{ offer.code }}', hasCode),
        p('Ce code vous est personnel et ne sert qu’une fois.', hasSingleUse),
        p('Avec ce code, vous bénéficiez de {{ offer.discount }} de réduction.', hasDiscount),
        p(`Le code est valable jusqu’au ${expiresAt}.`, hasExpiry),
        button('Découvrir {{ offer.title }}', 'links.offer'),
        p('Pas intéressé(e)\u00a0? Aucun problème, vous pouvez simplement ignorer cet e-mail.'),
      ],
    },
  },
};
