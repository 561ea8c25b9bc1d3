import type { PageStrings } from './types.ts';

export const nl: PageStrings = {
  supportLine: 'Vragen? Mail ons op',
  survey: {
    title: 'Jouw mening',
    question: {
      nps: (store) => `Hoe waarschijnlijk is het dat je ${store} aanraadt aan een vriend of collega?`,
      csat: (store) => `Hoe tevreden ben je over je aankoop bij ${store}?`,
    },
    ends: {
      nps: ['0 = zeer onwaarschijnlijk', '10 = zeer waarschijnlijk'],
      csat: ['1 = zeer ontevreden', '5 = zeer tevreden'],
    },
    commentLabel: 'Wil je nog iets toevoegen? (optioneel)',
    commentHint: 'Maximaal 2000 tekens.',
    send: 'Verstuur mijn antwoord',
    update: 'Werk mijn antwoord bij',
    thanks: 'Bedankt!',
    saved: 'Je antwoord is opgeslagen.',
    answered: 'Je hebt deze vragenlijst al beantwoord.',
    changeable: 'Je kunt je score wijzigen of een opmerking toevoegen tot de vragenlijst sluit.',
    chooseScore: 'Kies een score.',
    commentTooLong: 'Je opmerking is te lang: gebruik maximaal 2000 tekens.',
  },
  preferences: {
    title: 'E-mailvoorkeuren',
    intro: (store) => `Kies welke e-mails ${store} je stuurt over je aankopen.`,
    legend: 'Stuur me',
    categories: {
      tips: { label: 'Tips en onderhoudsherinneringen', hint: 'Hulp bij de start, een check-in en onderhoudstips' },
      surveys: { label: 'Vragenlijsten', hint: 'Eén korte vraag over hoe je aankoop bevalt' },
      offers: { label: 'Aanbiedingen', hint: 'Accessoires, navullingen en upgrades die bij je aankoop passen' },
      warranty: { label: 'Garantieherinneringen', hint: 'Een herinnering voordat je garantie afloopt' },
    },
    save: 'Voorkeuren opslaan',
    saved: 'Je voorkeuren zijn opgeslagen.',
    allTitle: 'Afmelden voor alles',
    allText: (store) => `Ontvang geen e-mails meer van ${store} over je aankopen.`,
    unsubscribeAll: 'Afmelden voor alle e-mails',
    unsubscribedAll: (store) => `Je bent afgemeld voor alle e-mails van ${store}.`,
    resubscribe: 'Opnieuw aanmelden',
    resubscribed: 'Je bent weer aangemeld. Fijn dat je er weer bij bent!',
    manage: 'Je e-mailvoorkeuren aanpassen',
  },
  gone: {
    title: 'Deze pagina is niet meer beschikbaar',
    text: 'De aankoop waar deze link bij hoort, is niet meer bij ons bekend.',
  },
};
