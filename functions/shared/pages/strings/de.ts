import type { PageStrings } from './types.ts';

export const de: PageStrings = {
  supportLine: 'Fragen? Schreiben Sie uns an',
  survey: {
    title: 'Ihre Meinung',
    question: {
      nps: (store) => `Wie wahrscheinlich ist es, dass Sie ${store} einem Freund oder Kollegen empfehlen?`,
      csat: (store) => `Wie zufrieden sind Sie mit Ihrem Kauf bei ${store}?`,
    },
    ends: {
      nps: ['0 = sehr unwahrscheinlich', '10 = sehr wahrscheinlich'],
      csat: ['1 = sehr unzufrieden', '5 = sehr zufrieden'],
    },
    commentLabel: 'Möchten Sie noch etwas ergänzen? (optional)',
    commentHint: 'Höchstens 2000 Zeichen.',
    send: 'Antwort senden',
    update: 'Antwort aktualisieren',
    thanks: 'Vielen Dank!',
    saved: 'Ihre Antwort wurde gespeichert.',
    answered: 'Sie haben diese Umfrage bereits beantwortet.',
    changeable: 'Bis zum Ende der Umfrage können Sie Ihre Bewertung ändern oder einen Kommentar hinzufügen.',
    chooseScore: 'Bitte wählen Sie eine Bewertung.',
    commentTooLong: 'Ihr Kommentar ist zu lang: bitte höchstens 2000 Zeichen.',
  },
  preferences: {
    title: 'E-Mail-Einstellungen',
    intro: (store) => `Wählen Sie, welche E-Mails ${store} Ihnen zu Ihren Einkäufen sendet.`,
    legend: 'Senden Sie mir',
    categories: {
      tips: { label: 'Tipps und Pflegehinweise', hint: 'Erste Schritte, eine Nachfrage und Wartungserinnerungen' },
      surveys: { label: 'Umfragen', hint: 'Eine kurze Frage dazu, wie zufrieden Sie mit Ihrem Kauf sind' },
      offers: { label: 'Angebote', hint: 'Zubehör, Nachfüllpackungen und Upgrades passend zu Ihrem Kauf' },
      warranty: { label: 'Garantie-Erinnerungen', hint: 'Eine Erinnerung, bevor Ihre Garantie endet' },
    },
    save: 'Einstellungen speichern',
    saved: 'Ihre Einstellungen wurden gespeichert.',
    allTitle: 'Von allem abmelden',
    allText: (store) => `Keine E-Mails mehr von ${store} zu Ihren Einkäufen erhalten.`,
    unsubscribeAll: 'Von allen E-Mails abmelden',
    unsubscribedAll: (store) => `Sie sind von allen E-Mails von ${store} abgemeldet.`,
    resubscribe: 'Wieder anmelden',
    resubscribed: 'Sie sind wieder angemeldet. Vielen Dank!',
    manage: 'E-Mail-Einstellungen ändern',
  },
  gone: {
    title: 'Diese Seite ist nicht mehr verfügbar',
    text: 'Der Kauf, zu dem dieser Link gehört, ist bei uns nicht mehr gespeichert.',
  },
};
