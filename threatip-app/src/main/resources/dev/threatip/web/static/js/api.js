// The REST API client (DESIGN.md §4): Bearer token on every call, JSON in and out, errors as
// {"error": {"code", "message"}} turned into ApiError. A 401 signs out and tells the app, which
// shows the login form again.

import * as session from './session.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onUnauthorized = () => {};

/** Registers what happens when the server refuses the token (401). */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

let lastAccess = null;

/** What the current token may do, as the server last said (X-Threatip-Access): 'admin', 'read' or null. */
export function access() {
  return lastAccess;
}

/**
 * GETs an API path with query parameters (null, undefined and '' are left out) and returns the
 * parsed JSON. Throws ApiError on a non-2xx answer or a network failure.
 */
export async function get(path, params, tokenOverride) {
  return send('GET', path, params, undefined, tokenOverride);
}

/** Sends a request with an optional JSON body (POST, DELETE); answers and throws like get(). */
export async function send(method, path, params, json, tokenOverride) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v != null && v !== '') url.searchParams.set(k, String(v));
  }
  const tok = tokenOverride ?? session.current();
  let response;
  try {
    response = await fetch(url, {
      method,
      body: json === undefined ? undefined : JSON.stringify(json),
      headers: { 'Accept': 'application/json', ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(tok ? { 'Authorization': 'Bearer ' + tok } : {}) },
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError(0, 'network', 'The server did not answer (' + e.message + ')');
  }
  const granted = response.headers.get('X-Threatip-Access');
  if (granted) lastAccess = granted;
  let body = null;
  const text = await response.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      if (response.ok) throw new ApiError(response.status, 'bad_json', 'The server answered with invalid JSON');
    }
  }
  if (!response.ok) {
    const err = body && body.error ? body.error : {};
    const error = new ApiError(response.status, err.code || 'http_' + response.status,
      err.message || response.statusText || 'HTTP ' + response.status);
    if (response.status === 401 && tokenOverride == null) {
      session.signOut();
      onUnauthorized(error);
    }
    throw error;
  }
  return body;
}
