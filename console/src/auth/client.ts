import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../api/schema';

type Listener = () => void;
let requestLanguage = 'az';

/** The console's language goes with every request, so the API's error messages come back in it. */
export function setRequestLanguage(language: string): void {
  requestLanguage = language;
}

const expiryListeners = new Set<Listener>();

/** Called once per 401 on a signed-in request: the session provider shows the sign-in form. */
export function onSessionExpired(listener: Listener): () => void {
  expiryListeners.add(listener);
  return () => expiryListeners.delete(listener);
}

const consoleRequests: Middleware = {
  onRequest({ request }) {
    // The API accepts writes by cookie only with this header, which no other site can send.
    request.headers.set('X-Requested-With', 'console');
    request.headers.set('Accept-Language', requestLanguage);
    return request;
  },
  onResponse({ request, response }) {
    const url = new URL(request.url);
    if (response.status === 401 && url.pathname !== '/auth/session' && url.pathname !== '/auth/me')
      expiryListeners.forEach((listener) => listener());
    return response;
  },
};

/** The one API client: same origin, the session travels in the HttpOnly cookie. */
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(consoleRequests);
