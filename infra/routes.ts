import { descriptorOf, type FunctionName, functionNames } from './functions.ts';

/** One route of the HTTP API, with the function its descriptor (infra/functions.ts) gives it. */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  function: FunctionName;
}

/** The HTTP API's routes, from the functions' descriptors: API Gateway (CDK) and the local server use this list. */
export const routes: readonly Route[] = functionNames.flatMap((name) => {
  const { trigger } = descriptorOf(name);
  return trigger.kind === 'http' ? trigger.routes.map((route) => ({ ...route, function: name })) : [];
});

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
