import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export const BASE = '/console';
const NAVIGATED = 'console:navigate';

/** The console path after `/console`, always starting with `/`, with its query string. */
export function currentLocation(): { path: string; search: URLSearchParams } {
  const rest = window.location.pathname.slice(BASE.length).replace(/\/+$/, '');
  return { path: rest === '' ? '/' : rest, search: new URLSearchParams(window.location.search) };
}

/** Goes to a console path (`/editions/…?x=y`) without a page load; the back button returns. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = `${BASE}${to === '/' ? '' : to}`;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** Re-renders on every navigation (links, back and forward). */
export function useLocation(): { path: string; search: URLSearchParams } {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const update = () => setLocation(currentLocation());
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return location;
}

/** `/editions/:id` against `/editions/42` → `{ id: '42' }`; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const wanted = pattern.split('/').filter(Boolean);
  const actual = path.split('/').filter(Boolean);
  if (wanted.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let index = 0; index < wanted.length; index += 1) {
    if (wanted[index].startsWith(':')) params[wanted[index].slice(1)] = decodeURIComponent(actual[index]);
    else if (wanted[index] !== actual[index]) return null;
  }
  return params;
}

/** A real link (open in a new tab works) that navigates inside the console on a plain click. */
export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  function click(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(to);
  }
  return <a href={`${BASE}${to === '/' ? '' : to}`} onClick={click} {...rest} />;
}
