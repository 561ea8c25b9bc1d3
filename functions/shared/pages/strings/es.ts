import type { PageStrings } from './types.ts';

export const es: PageStrings = {
  supportLine: '¿Tienes alguna pregunta? Escríbenos a',
  survey: {
    title: 'Tu opinión',
    question: {
      nps: (store) => `¿Qué probabilidad hay de que recomiendes ${store} a un amigo o compañero?`,
      csat: (store) => `¿Cuál es tu grado de satisfacción con tu compra en ${store}?`,
    },
    ends: { nps: ['0 = nada probable', '10 = muy probable'], csat: ['1 = muy insatisfecho', '5 = muy satisfecho'] },
    commentLabel: '¿Quieres añadir algo? (opcional)',
    commentHint: 'Máximo 2000 caracteres.',
    send: 'Enviar mi respuesta',
    update: 'Actualizar mi respuesta',
    thanks: '¡Gracias!',
    saved: 'Hemos guardado tu respuesta.',
    answered: 'Ya has respondido a esta encuesta.',
    changeable: 'Puedes cambiar tu puntuación o añadir un comentario hasta que se cierre la encuesta.',
    chooseScore: 'Elige una puntuación.',
    commentTooLong: 'Tu comentario es demasiado largo: usa como máximo 2000 caracteres.',
  },
  preferences: {
    title: 'Preferencias de correo',
    intro: (store) => `Elige qué correos te envía ${store} sobre tus compras.`,
    legend: 'Enviarme',
    categories: {
      tips: { label: 'Consejos y recordatorios de mantenimiento', hint: 'Primeros pasos, seguimiento y mantenimiento' },
      surveys: { label: 'Encuestas', hint: 'Una pregunta breve sobre tu compra' },
      offers: { label: 'Ofertas', hint: 'Accesorios, recambios y mejoras para lo que compraste' },
      warranty: { label: 'Recordatorios de garantía', hint: 'Un aviso antes de que termine tu garantía' },
    },
    save: 'Guardar preferencias',
    saved: 'Hemos guardado tus preferencias.',
    allTitle: 'Darse de baja de todo',
    allText: (store) => `Deja de recibir correos de ${store} sobre tus compras.`,
    unsubscribeAll: 'Darme de baja de todos los correos',
    unsubscribedAll: (store) => `Te has dado de baja de todos los correos de ${store}.`,
    resubscribe: 'Volver a suscribirme',
    resubscribed: 'Te has vuelto a suscribir. ¡Gracias!',
    manage: 'Cambiar tus preferencias de correo',
  },
  gone: {
    title: 'Esta página ya no está disponible',
    text: 'La compra a la que pertenece este enlace ya no consta en nuestros registros.',
  },
};
