// Secret values: hidden until "reveal" (a fresh GetSecretValue each time), shown as text only,
// JSON objects as a key/value table; and the editor for a new value (key/value, plaintext or a
// binary file) with a password generator. A value lives only in the DOM while it is shown.
import { call, ApiError } from './api.js';
import { h, replace, button, busy, errorBox, copyButton, labelBadge, table, notice } from './dom.js';

const MAX_BINARY = 65536;

/** The "Secret value" card body: hidden, or revealed on request. */
export function valueViewer(secretId) {
  const body = h('div', { class: 'value-viewer', id: 'secret-value' });
  const hidden = () => replace(body,
    h('div', { class: 'value-hidden' },
      h('span', { class: 'dots', 'aria-hidden': 'true' }, '••••••••••••'),
      h('span', { class: 'muted' }, 'The value is hidden. Revealing it reads it again from the service and is recorded in the audit trail.'),
      revealButton));
  const revealButton = button('Reveal value', () => busy(revealButton, async () => {
    try {
      const answer = await call('GetSecretValue', { SecretId: secretId });
      replace(body, revealed(answer, hidden));
    } catch (error) {
      replace(body, errorBox(error, error.isAccessDenied ? 'This key may not read the value (secretsmanager:GetSecretValue).' : null), revealButton);
    }
  }), 'primary', { id: 'reveal-value' });
  hidden();
  return body;
}

function revealed(answer, hide) {
  const hideButton = button('Hide', hide, 'secondary', { id: 'hide-value' });
  const meta = h('div', { class: 'value-meta' },
    h('span', { class: 'mono muted' }, answer.VersionId), (answer.VersionStages || []).map(labelBadge));
  if (answer.SecretBinary !== undefined) {
    const bytes = atob(answer.SecretBinary).length;
    return h('div', null, meta,
      h('p', { class: 'muted' }, `Binary value, ${bytes} bytes, shown as base64.`),
      h('pre', { class: 'secret-text', id: 'secret-binary' }, answer.SecretBinary),
      h('div', { class: 'row' }, copyButton(() => answer.SecretBinary, 'Copy base64'), hideButton));
  }

  const text = answer.SecretString ?? '';
  const pairs = asPairs(text);
  const plain = h('pre', { class: 'secret-text', id: 'secret-plaintext' }, text);
  if (!pairs) {
    return h('div', null, meta, plain, h('div', { class: 'row' }, copyButton(() => text), hideButton));
  }

  const kvTable = table(['Key', 'Value', ''], pairs.map(([key, value]) => h('tr', null,
    h('td', { class: 'mono' }, key), h('td', { class: 'mono secret-cell' }, value), h('td', { class: 'cell-actions' }, copyButton(() => value)))));
  kvTable.id = 'secret-pairs';
  const view = h('div', null, kvTable);
  const tabs = h('div', { class: 'tabs' },
    button('Key/value', () => { replace(view, kvTable); setActive(tabs, 0); }, 'tab is-active'),
    button('Plaintext', () => { replace(view, plain); setActive(tabs, 1); }, 'tab', { id: 'show-plaintext' }));
  return h('div', null, meta, tabs, view, h('div', { class: 'row' }, copyButton(() => text, 'Copy all'), hideButton));
}

/** A JSON object's members as [key, text] pairs, or null when the value is not a JSON object. */
function asPairs(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }

  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.keys(parsed).length === 0) {
    return null;
  }

  return Object.entries(parsed).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]);
}

function setActive(tabs, index) {
  [...tabs.children].forEach((tab, i) => tab.classList.toggle('is-active', i === index));
}

/**
 * The value editor: { element, read() } where read() gives { SecretString } or { SecretBinary }
 * or throws an ApiError('InvalidValue', …) saying what to fix.
 */
export function valueEditor() {
  let mode = 'pairs';
  const rows = h('div', { class: 'kv-rows', id: 'kv-rows' });
  const addRow = (key = '', value = '') => {
    const row = h('div', { class: 'kv-row' },
      h('input', { class: 'kv-key mono', placeholder: 'key', value: key, spellcheck: 'false', 'aria-label': 'Key' }),
      h('input', { class: 'kv-value mono', placeholder: 'value', value, spellcheck: 'false', autocomplete: 'off', 'aria-label': 'Value' }),
      button('Remove', () => row.remove(), 'ghost'));
    rows.append(row);
    return row;
  };
  addRow();

  const plaintext = h('textarea', { class: 'mono', id: 'value-plaintext', rows: '6', spellcheck: 'false', autocomplete: 'off', placeholder: 'The secret value' });
  const file = h('input', { type: 'file', id: 'value-file' });
  const fileInfo = h('span', { class: 'muted' }, 'Up to 64 KiB; sent as SecretBinary.');
  let binary = null;
  file.addEventListener('change', async () => {
    binary = null;
    const chosen = file.files[0];
    if (!chosen) {
      return;
    }

    if (chosen.size > MAX_BINARY) {
      fileInfo.textContent = `${chosen.name} is ${chosen.size} bytes; the limit is ${MAX_BINARY}.`;
      return;
    }

    const bytes = new Uint8Array(await chosen.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }

    binary = btoa(text);
    fileInfo.textContent = `${chosen.name}: ${bytes.length} bytes.`;
  });

  const panes = {
    pairs: h('div', null, rows, button('Add row', () => addRow(), 'ghost', { id: 'add-row' })),
    plain: h('div', null, plaintext),
    binary: h('div', { class: 'row' }, file, fileInfo),
  };
  const pane = h('div', { class: 'editor-pane' }, panes.pairs);
  const tabs = h('div', { class: 'tabs' },
    [['pairs', 'Key/value'], ['plain', 'Plaintext'], ['binary', 'Binary file']].map(([key, text], index) =>
      button(text, () => { mode = key; replace(pane, panes[key]); setActive(tabs, index); }, index === 0 ? 'tab is-active' : 'tab', { id: `editor-${key}` })));

  const message = h('div');
  const generate = button('Generate password', () => busy(generate, async () => {
    replace(message);
    try {
      const answer = await call('GetRandomPassword', { PasswordLength: 32, ExcludeCharacters: '"\'\\`' });
      if (mode === 'plain') {
        plaintext.value = answer.RandomPassword;
      } else {
        mode = 'pairs';
        const existing = [...rows.querySelectorAll('.kv-row')].find((row) => row.querySelector('.kv-key').value === 'password')
          || [...rows.querySelectorAll('.kv-row')].find((row) => !row.querySelector('.kv-key').value && !row.querySelector('.kv-value').value)
          || addRow();
        existing.querySelector('.kv-key').value = 'password';
        existing.querySelector('.kv-value').value = answer.RandomPassword;
        replace(pane, panes.pairs);
        setActive(tabs, 0);
      }

      replace(message, notice('A 32-character password from GetRandomPassword was filled in.'));
    } catch (error) {
      replace(message, errorBox(error));
    }
  }), 'secondary', { id: 'generate-password' });

  const read = () => {
    if (mode === 'binary') {
      if (!binary) {
        throw new ApiError('InvalidValue', 'Choose a file of at most 64 KiB.');
      }

      return { SecretBinary: binary };
    }

    if (mode === 'plain') {
      if (!plaintext.value) {
        throw new ApiError('InvalidValue', 'Enter a value.');
      }

      return { SecretString: plaintext.value };
    }

    const object = {};
    for (const row of rows.querySelectorAll('.kv-row')) {
      const key = row.querySelector('.kv-key').value.trim();
      const value = row.querySelector('.kv-value').value;
      if (!key && !value) {
        continue;
      }

      if (!key) {
        throw new ApiError('InvalidValue', 'Every value needs a key.');
      }

      if (Object.prototype.hasOwnProperty.call(object, key)) {
        throw new ApiError('InvalidValue', `The key ${key} appears twice.`);
      }

      object[key] = value;
    }

    if (Object.keys(object).length === 0) {
      throw new ApiError('InvalidValue', 'Add at least one key and value.');
    }

    return { SecretString: JSON.stringify(object) };
  };

  return { element: h('div', { class: 'value-editor' }, h('div', { class: 'editor-head' }, tabs, generate), pane, message), read };
}
