/** A tiny method + path-pattern router: `/v1/organizations/:organizationSlug/stores`. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

interface CompiledRoute<R> {
  method: HttpMethod;
  segments: string[];
  route: R;
}

export function createRouteTable<R extends { method: HttpMethod; path: string }>(routes: readonly R[]) {
  const compiled: CompiledRoute<R>[] = routes.map((route) => ({
    method: route.method,
    segments: route.path.split('/').filter(Boolean),
    route,
  }));
  return {
    match(method: string, pathname: string): RouteMatch<R> | undefined {
      const parts = pathname.split('/').filter(Boolean);
      for (const candidate of compiled) {
        if (candidate.method !== method || candidate.segments.length !== parts.length) continue;
        const params: Record<string, string> = {};
        const matches = candidate.segments.every((segment, index) => {
          const part = parts[index]!;
          if (segment.startsWith(':')) {
            try {
              params[segment.slice(1)] = decodeURIComponent(part);
            } catch {
              return false;
            }
            return true;
          }
          return segment === part;
        });
        if (matches) return { route: candidate.route, params };
      }
      return undefined;
    },
  };
}
