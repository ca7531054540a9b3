// The public JSON 1.1 API, as any SDK calls it: POST / with X-Amz-Target, signed in this browser.
// The console has exactly the permissions of the key the user typed in; there is no other way in.
import { sign } from './sigv4.js';

const STORAGE_KEY = 'funcsecrets.console.credentials';
const JSON_TYPE = 'application/x-amz-json-1.1';
const CLOUDTRAIL_TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.';
const AUTH_ERRORS = new Set([
  'UnrecognizedClientException', 'InvalidSignatureException', 'IncompleteSignatureException',
  'MissingAuthenticationTokenException', 'InvalidClientTokenId', 'ExpiredTokenException',
]);

let clockSkewMs = 0;

export class ApiError extends Error {
  constructor(code, message, status) {
    super(message || code);
    this.code = code;
    this.status = status;
  }

  /** True when the key itself was refused (wrong key, wrong secret, bad token). */
  get isAuthFailure() {
    return AUTH_ERRORS.has(this.code) && !/^Signature (expired|not yet current)/.test(this.message);
  }

  get isAccessDenied() {
    return this.code === 'AccessDeniedException';
  }
}

/** The key of this tab's session: sessionStorage only (gone when the tab closes or on sign-out). */
export function loadCredentials() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null');
    return stored && stored.accessKeyId && stored.secretAccessKey && stored.region ? stored : null;
  } catch {
    return null;
  }
}

export function saveCredentials(credentials) {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
}

export function clearCredentials() {
  sessionStorage.removeItem(STORAGE_KEY);
  sessionStorage.clear();
}

/** A Secrets Manager operation, e.g. call('ListSecrets', { MaxResults: 25 }). */
export function call(operation, input = {}, credentials = loadCredentials()) {
  return send('secretsmanager', `secretsmanager.${operation}`, input, credentials);
}

/** CloudTrail's LookupEvents over this service's audit trail. */
export function lookupEvents(input, credentials = loadCredentials()) {
  return send('cloudtrail', `${CLOUDTRAIL_TARGET}LookupEvents`, input, credentials);
}

async function send(service, target, input, credentials, retried = false) {
  if (!credentials) {
    throw new ApiError('NotSignedIn', 'Sign in first.', 0);
  }

  const body = JSON.stringify(input);
  const headers = await sign({
    method: 'POST',
    host: window.location.host,
    path: '/',
    headers: { 'content-type': JSON_TYPE, 'x-amz-target': target },
    body,
    credentials,
    service,
    now: new Date(Date.now() + clockSkewMs),
  });

  let response;
  try {
    response = await fetch('/', {
      method: 'POST', headers, body, cache: 'no-store', credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError('NetworkError', 'The service could not be reached.', 0);
  }

  const text = await response.text();
  let json = {};
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError('InvalidResponse', `The service answered HTTP ${response.status} with a body that is not JSON.`, response.status);
    }
  }

  if (response.ok) {
    return json;
  }

  const error = new ApiError(String(json.__type || 'UnknownError').split('#').pop(), json.Message || json.message, response.status);

  // A browser clock that is off by more than AWS's 5 minutes: take the server's, as SDKs do, once.
  const serverDate = Date.parse(response.headers.get('date') || '');
  if (!retried && error.code === 'InvalidSignatureException' && /^Signature (expired|not yet current)/.test(error.message) && !Number.isNaN(serverDate)) {
    clockSkewMs = serverDate - Date.now();
    return send(service, target, input, credentials, true);
  }

  throw error;
}
