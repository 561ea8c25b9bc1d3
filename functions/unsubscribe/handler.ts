import { pageHandler } from '../shared/pages/index.ts';
import { changePreferences, showPreferences } from './preferences.ts';

/** Lambda entry for GET and POST /u/{token}: email preferences and RFC 8058 one-click unsubscribe. */
export const handler = pageHandler((event) =>
  event.requestContext.http.method === 'POST' ? changePreferences(event) : showPreferences(event),
);
