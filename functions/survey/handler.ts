import { pageHandler } from '../shared/pages/index.ts';
import { answerSurvey, showSurvey } from './survey.ts';

/** Lambda entry for GET and POST /s/{token}: the survey page (GET shows, only POST records). */
export const handler = pageHandler((event) =>
  event.requestContext.http.method === 'POST' ? answerSurvey(event) : showSurvey(event),
);
