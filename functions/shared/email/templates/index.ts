import type { TemplateId } from '../types.ts';
import { checkIn } from './follow-up/check-in.ts';
import { maintenance } from './follow-up/maintenance.ts';
import { thanks } from './follow-up/thanks.ts';
import type { TemplateDefinition } from './model.ts';
import { ask } from './satisfaction-survey/ask.ts';
import { detractorAlert } from './satisfaction-survey/detractor-alert.ts';
import { reminder } from './satisfaction-survey/reminder.ts';
import { reviewRequest } from './satisfaction-survey/review-request.ts';
import { sorry } from './satisfaction-survey/sorry.ts';
import { offer } from './upgrade-offer/offer.ts';
import { warrantyReminder } from './warranty-reminder/reminder.ts';

export const TEMPLATES: Record<TemplateId, TemplateDefinition> = {
  'follow-up/thanks': thanks,
  'follow-up/check-in': checkIn,
  'follow-up/maintenance': maintenance,
  'satisfaction-survey/ask': ask,
  'satisfaction-survey/reminder': reminder,
  'satisfaction-survey/sorry': sorry,
  'satisfaction-survey/review-request': reviewRequest,
  'satisfaction-survey/detractor-alert': detractorAlert,
  'warranty-reminder/reminder': warrantyReminder,
  'upgrade-offer/offer': offer,
};
