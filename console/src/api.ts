// The one way the console talks to the server: same-origin fetch with the session cookie, the
// CSRF token on every change, and errors turned into `ApiFailure` with the server's stable code.

export interface Problem {
  code: string;
  message: string;
  field?: string;
}

export class ApiFailure extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public problems: Problem[] = [],
  ) {
    super(message);
  }
}

let csrfToken = '';
let onSignedOut: () => void = () => {};

export function setCsrf(token: string) {
  csrfToken = token;
}

/** Called when the server says the session is gone (expired, signed out elsewhere). */
export function whenSignedOut(f: () => void) {
  onSignedOut = f;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  let payload: BodyInit | undefined;
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    // The server's error body: {"error": {"code", "message", "details": [{code, message, field}]}}.
    const code = data?.error?.code ?? 'http_' + response.status;
    const message = data?.error?.message ?? response.statusText;
    const problems: Problem[] = data?.error?.details ?? [];
    if (response.status === 401 && path !== '/v1/session') onSignedOut();
    throw new ApiFailure(response.status, code, message, problems);
  }
  return data as T;
}

/** `?a=1&b=2` from the set values of an object. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
