/// `api.js`: every call the page makes to `/login` and `/api/v1`, with the session cookie (sent by the
/// browser, HttpOnly) and the CSRF token on every state-changing request; errors become `ApiError`
/// carrying the problem+json `detail`.
enum DashboardAPIJS {
    static let text = #"""
const CSRF_KEY = 'portcullis.csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
let csrf = sessionStorage.getItem(CSRF_KEY) || '';
let onUnauthorized = () => {};

export function setUnauthorizedHandler(handler) { onUnauthorized = handler; }

function setCsrf(token) {
  csrf = token || '';
  if (csrf) sessionStorage.setItem(CSRF_KEY, csrf); else sessionStorage.removeItem(CSRF_KEY);
}

// An API refusal: `status`, the problem document, and its sentence as the message.
export class ApiError extends Error {
  constructor(status, problem) {
    const doc = problem && typeof problem === 'object' ? problem : {};
    const text = doc.detail || doc.title || (typeof problem === 'string' && problem.trim()) || ('HTTP ' + status);
    super(text);
    this.status = status;
    this.problem = doc;
  }
}

async function parse(res) {
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) { try { return await res.json(); } catch (e) { return null; } }
  return await res.text();
}

export async function request(method, path, body) {
  const headers = {Accept: 'application/json, application/problem+json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers[CSRF_HEADER] = csrf;
  let res;
  try {
    res = await fetch(path, {method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    throw new ApiError(0, {detail: 'The admin API did not answer (' + e.message + '). Is Portcullis running?'});
  }
  const data = await parse(res);
  if (res.status === 401 && path !== '/login') onUnauthorized();
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const get = (path) => request('GET', path);
export const put = (path, body) => request('PUT', path, body);
export const post = (path, body) => request('POST', path, body === undefined ? {} : body);
export const del = (path) => request('DELETE', path);
export const certPath = (name) => '/api/v1/certificates/' + encodeURIComponent(name);

// Turns the admin token into a session; the token itself is not kept by the page.
export async function login(token) {
  const data = await request('POST', '/login', {token});
  setCsrf(data && (data.csrf_token || data.csrfToken || data.csrf));
  return data;
}

export async function logout() {
  try { await request('POST', '/logout', {}); } finally { setCsrf(''); }
}

// After a reload the cookie is still there but the page is new: ask the session for its CSRF token.
// Throws ApiError 401 when there is no live session.
export async function restoreSession() {
  const data = await request('GET', '/api/v1/session');
  if (data && data.csrf_token) setCsrf(data.csrf_token);
  return data;
}
"""#
}
