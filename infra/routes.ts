import type { FunctionName } from './functions.ts';

/** The HTTP API's routes: API Gateway (CDK) and the local server are both built from this list. */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  function: FunctionName;
}

export const routes: readonly Route[] = [
  { method: 'POST', path: '/webhooks/{platform}/{storeId}', function: 'webhook' },
  { method: 'GET', path: '/s/{token}', function: 'survey' },
  { method: 'POST', path: '/s/{token}', function: 'survey' },
  { method: 'GET', path: '/u/{token}', function: 'unsubscribe' },
  { method: 'POST', path: '/u/{token}', function: 'unsubscribe' },
];

/** Matches a request path against a route template, returning its path parameters. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; pathParameters: Record<string, string> } | undefined {
  const segments = path.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const template = route.path.split('/').filter(Boolean);
    if (template.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    const matches = template.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith('{') && part.endsWith('}')) {
        const value = decodePathSegment(segment);
        if (value === undefined) return false;
        pathParameters[part.slice(1, -1)] = value;
        return value.length > 0;
      }
      return part === segment;
    });
    if (matches) return { route, pathParameters };
  }
  return undefined;
}

/** A malformed percent-escape (`%zz`) matches no route: the client gets a 404, never a 500. */
function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
