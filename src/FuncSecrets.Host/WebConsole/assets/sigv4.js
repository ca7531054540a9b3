// AWS Signature Version 4 in the browser, with WebCrypto (HMAC-SHA256, SHA-256). The secret key
// never leaves this tab: it only keys the HMAC chain below.
const encoder = new TextEncoder();

function toHex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(text) {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

async function hmac(keyBytes, text) {
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', key, encoder.encode(text));
}

/** 2026-12-04T23:45:01.123Z -> 20261204T234501Z */
export function amzDate(date) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Signs a request and returns the headers to send (all but host, which the browser sets).
 * Signed: host, x-amz-date, every header given (x-amz-target, content-type), the session token
 * when there is one, and the SHA-256 of the body.
 */
export async function sign({ method, host, path, headers, body, credentials, service, now }) {
  const stamp = amzDate(now);
  const day = stamp.slice(0, 8);
  const all = { ...headers, 'x-amz-date': stamp };
  if (credentials.sessionToken) {
    all['x-amz-security-token'] = credentials.sessionToken;
  }

  const canonical = { host };
  for (const [name, value] of Object.entries(all)) {
    canonical[name.toLowerCase()] = String(value).trim().replace(/\s+/g, ' ');
  }

  const names = Object.keys(canonical).sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    method,
    path,
    '',
    names.map((name) => `${name}:${canonical[name]}\n`).join(''),
    signedHeaders,
    await sha256Hex(body),
  ].join('\n');
  const scope = `${day}/${credentials.region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, await sha256Hex(canonicalRequest)].join('\n');

  let key = await hmac(encoder.encode(`AWS4${credentials.secretAccessKey}`), day);
  key = await hmac(key, credentials.region);
  key = await hmac(key, service);
  key = await hmac(key, 'aws4_request');
  const signature = toHex(await hmac(key, stringToSign));

  return {
    ...all,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}
