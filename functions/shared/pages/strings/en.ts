import type { PageStrings } from './types.ts';

export const en: PageStrings = {
  supportLine: 'Questions? Write to us at',
  survey: {
    title: 'Your opinion',
    question: {
      nps: (store) => `How likely are you to recommend ${store} to a friend or colleague?`,
      csat: (store) => `How satisfied are you with your purchase from ${store}?`,
    },
    ends: {
      nps: ['0 = not at all likely', '10 = extremely likely'],
      csat: ['1 = very dissatisfied', '5 = very satisfied'],
    },
    commentLabel: 'Anything you would like to add? (optional)',
    commentHint: 'At most 2000 characters.',
    send: 'Send my answer',
    update: 'Update my answer',
    thanks: 'Thank you!',
    saved: 'Your answer has been saved.',
    answered: 'You have already answered this survey.',
    changeable: 'You can change your score or add a comment until the survey closes.',
    chooseScore: 'Please choose a score.',
    commentTooLong: 'Your comment is too long: please keep it to 2000 characters.',
  },
  preferences: {
    title: 'Email preferences',
    intro: (store) => `Choose which emails ${store} sends you about your purchases.`,
    legend: 'Send me',
    categories: {
      tips: { label: 'Tips and care reminders', hint: 'Getting started, a check-in and maintenance reminders' },
      surveys: { label: 'Surveys', hint: 'One short question about how your purchase is going' },
      offers: { label: 'Offers', hint: 'Accessories, refills and upgrades that fit what you bought' },
      warranty: { label: 'Warranty reminders', hint: 'A reminder before your warranty ends' },
    },
    save: 'Save preferences',
    saved: 'Your preferences have been saved.',
    allTitle: 'Unsubscribe from everything',
    allText: (store) => `Stop all emails from ${store} about your purchases.`,
    unsubscribeAll: 'Unsubscribe from all emails',
    unsubscribedAll: (store) => `You are unsubscribed from all emails from ${store}.`,
    resubscribe: 'Subscribe again',
    resubscribed: 'You are subscribed again. Thank you!',
    manage: 'Change your email preferences',
  },
  gone: {
    title: 'This page is no longer available',
    text: 'The purchase this link belongs to is no longer on file.',
  },
};
