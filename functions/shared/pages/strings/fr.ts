import type { PageStrings } from './types.ts';

export const fr: PageStrings = {
  supportLine: 'Une question\u00a0? Écrivez-nous à',
  survey: {
    title: 'Votre avis',
    question: {
      nps: (store) => `Quelle est la probabilité que vous recommandiez ${store} à un ami ou un collègue\u00a0?`,
      csat: (store) => `Dans quelle mesure êtes-vous satisfait(e) de votre achat chez ${store}\u00a0?`,
    },
    ends: {
      nps: ['0 = pas du tout probable', '10 = très probable'],
      csat: ['1 = très insatisfait(e)', '5 = très satisfait(e)'],
    },
    commentLabel: 'Souhaitez-vous ajouter quelque chose\u00a0? (facultatif)',
    commentHint: '2000 caractères maximum.',
    send: 'Envoyer ma réponse',
    update: 'Mettre à jour ma réponse',
    thanks: 'Merci\u00a0!',
    saved: 'Votre réponse a bien été enregistrée.',
    answered: 'Vous avez déjà répondu à ce questionnaire.',
    changeable: 'Vous pouvez modifier votre note ou ajouter un commentaire jusqu’à la clôture du questionnaire.',
    chooseScore: 'Veuillez choisir une note.',
    commentTooLong: 'Votre commentaire est trop long\u00a0: 2000 caractères maximum.',
  },
  preferences: {
    title: 'Préférences e-mail',
    intro: (store) => `Choisissez les e-mails que ${store} vous envoie au sujet de vos achats.`,
    legend: 'Envoyez-moi',
    categories: {
      tips: { label: 'Conseils et rappels d’entretien', hint: 'Prise en main, suivi et rappels d’entretien' },
      surveys: { label: 'Questionnaires', hint: 'Une courte question sur votre achat' },
      offers: { label: 'Offres', hint: 'Accessoires, recharges et modèles supérieurs adaptés à votre achat' },
      warranty: { label: 'Rappels de garantie', hint: 'Un rappel avant la fin de votre garantie' },
    },
    save: 'Enregistrer mes préférences',
    saved: 'Vos préférences ont été enregistrées.',
    allTitle: 'Se désabonner de tout',
    allText: (store) => `Ne plus recevoir d’e-mails de ${store} au sujet de vos achats.`,
    unsubscribeAll: 'Me désabonner de tous les e-mails',
    unsubscribedAll: (store) => `Vous êtes désabonné(e) de tous les e-mails de ${store}.`,
    resubscribe: 'Me réabonner',
    resubscribed: 'Vous êtes de nouveau abonné(e). Merci\u00a0!',
    manage: 'Modifier vos préférences e-mail',
  },
  gone: {
    title: 'Cette page n’est plus disponible',
    text: 'L’achat auquel ce lien se rapporte n’est plus enregistré chez nous.',
  },
};
