/** What the dashboard does with a request. @internal */
export type Route =
  | { readonly kind: 'page' }
  | { readonly kind: 'events' }
  /** A dashboard URL asked with a method other than GET or HEAD: the dashboard is read-only. */
  | { readonly kind: 'method_not_allowed' }
  /** Not a dashboard URL: the next handler's, else 404. */
  | { readonly kind: 'pass' };

/**
 * Decides what a request is for, from its method and URL as the handler receives them.
 *
 * The page is at `<path>/` and also at `<path>` (so `/breakwater` works without a trailing slash; the
 * page computes its stream's URL from its own path either way), the stream at `<path>/events`. The
 * query string is ignored. Any other path is not the dashboard's.
 *
 * @param method - the request method.
 * @param url - `req.url`: the path (and query) after whatever the framework stripped.
 * @param path - the prefix the handler strips itself ('' for none).
 * @internal
 */
export function routeRequest(method: string | undefined, url: string | undefined, path: string): Route {
  const raw = url ?? '/';
  const end = raw.search(/[?#]/);
  const pathname = end < 0 ? raw : raw.slice(0, end);
  let rest: string;
  if (path === '') rest = pathname;
  else if (pathname === path || pathname.startsWith(`${path}/`)) rest = pathname.slice(path.length);
  else return { kind: 'pass' };
  let kind: 'page' | 'events';
  if (rest === '' || rest === '/') kind = 'page';
  else if (rest === '/events') kind = 'events';
  else return { kind: 'pass' };
  return method === 'GET' || method === 'HEAD' ? { kind } : { kind: 'method_not_allowed' };
}

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]']);

/** Whether a host name or address is this machine's loopback interface. @internal */
export function isLoopback(host: string): boolean {
  const bare = host.toLowerCase().replace(/\.$/, '');
  return LOOPBACK_NAMES.has(bare) || bare.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * Whether a request's `Host` header names a loopback address: a standalone dashboard bound to loopback
 * answers only those, so that a web page the user visits cannot read it through a DNS name it re-points
 * at 127.0.0.1 (DNS rebinding).
 *
 * @param hostHeader - the request's `Host` header, e.g. `127.0.0.1:8080` or `[::1]:8080`.
 * @internal
 */
export function hostHeaderIsLoopback(hostHeader: string | undefined): boolean {
  if (hostHeader === undefined || hostHeader === '') return false;
  const bracketed = /^(\[[^\]]+\])(:\d+)?$/.exec(hostHeader);
  const host = bracketed ? (bracketed[1] ?? '') : hostHeader.replace(/:\d+$/, '');
  return isLoopback(host);
}
