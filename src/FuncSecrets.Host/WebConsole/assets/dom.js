// Building the page without ever parsing a string as HTML: elements are created one by one and
// text goes in as text (textContent / text nodes). The page's CSP (Trusted Types, no policy)
// makes every HTML-parsing sink throw, so a slip here fails loudly instead of running markup.

const BOOLEAN_PROPS = new Set(['checked', 'disabled', 'selected', 'hidden', 'required', 'multiple', 'readOnly', 'open']);

/** h('button', { class: 'btn', onClick: fn }, 'Save') */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }

    if (name === 'class') {
      el.className = value;
    } else if (name === 'text') {
      el.textContent = String(value);
    } else if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'href') {
      // Links stay inside the console; a secret's text can never become a javascript: URL.
      if (!String(value).startsWith('#')) {
        throw new Error('Only in-app links are allowed.');
      }

      el.setAttribute('href', value);
    } else if (name === 'value') {
      el.value = value;
    } else if (BOOLEAN_PROPS.has(name)) {
      el[name] = Boolean(value);
    } else if (name.startsWith('on')) {
      throw new Error('Event handlers must be functions.');
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }

  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }

    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  return parent;
}

export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** Epoch seconds (the wire's timestamps) as "2026-12-04 23:45:01 UTC". */
export function formatTime(epochSeconds) {
  if (epochSeconds === undefined || epochSeconds === null) {
    return '—';
  }

  const iso = new Date(Number(epochSeconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** Epoch seconds as a date only (AWS reports access dates per day). */
export function formatDay(epochSeconds) {
  return epochSeconds === undefined || epochSeconds === null ? '—' : new Date(Number(epochSeconds) * 1000).toISOString().slice(0, 10);
}

export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}`.trim() }, text);
}

export function labelBadge(label) {
  const kinds = { AWSCURRENT: 'badge-current', AWSPREVIOUS: 'badge-previous', AWSPENDING: 'badge-pending' };
  return badge(label, kinds[label] || 'badge-custom');
}

/** A bordered section with a title row and an optional set of actions. */
export function card(title, actions, ...body) {
  return h('section', { class: 'card' },
    h('div', { class: 'card-head' }, h('h2', null, title), h('div', { class: 'card-actions' }, actions || [])),
    h('div', { class: 'card-body' }, body));
}

/** An API error as the user should read it: the code, then AWS's message. */
export function errorBox(error, hint) {
  const code = error && error.code ? error.code : 'Error';
  const message = error && error.message ? error.message : String(error);
  return h('div', { class: 'alert alert-error', role: 'alert' },
    h('strong', null, code), h('span', null, message), hint ? h('div', { class: 'alert-hint' }, hint) : null);
}

export function notice(text, kind = 'info') {
  return h('div', { class: `alert alert-${kind}`, role: 'status' }, text);
}

export function spinner(text = 'Loading…') {
  return h('div', { class: 'loading' }, h('span', { class: 'spin' }), text);
}

export function button(text, onClick, kind = 'secondary', extra = {}) {
  return h('button', { type: 'button', class: `btn btn-${kind}`, onClick, ...extra }, text);
}

/** Runs an async action with the button disabled, so a double click cannot send twice. */
export async function busy(btn, action) {
  btn.disabled = true;
  btn.classList.add('is-busy');
  try {
    return await action();
  } finally {
    btn.disabled = false;
    btn.classList.remove('is-busy');
  }
}

/** Label + control, stacked. */
export function field(label, control, help) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, help ? h('span', { class: 'field-help' }, help) : null);
}

/** Definition list of [term, value] rows; value may be a node. */
export function details(rows) {
  return h('dl', { class: 'details' }, rows.filter(Boolean).map(([term, value]) => [h('dt', null, term), h('dd', null, value ?? '—')]));
}

/** Copies text to the clipboard and says so on the button; the text is not kept anywhere. */
export function copyButton(getText, label = 'Copy') {
  const btn = button(label, async () => {
    try {
      await navigator.clipboard.writeText(getText());
      btn.textContent = 'Copied';
    } catch {
      btn.textContent = 'Copy failed';
    }

    setTimeout(() => { btn.textContent = label; }, 1500);
  }, 'ghost', { 'data-role': 'copy' });
  return btn;
}

export function table(headers, rows, emptyText = 'Nothing to show.') {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'table' },
      h('thead', null, h('tr', null, headers.map((title) => h('th', null, title)))),
      h('tbody', null, rows.length === 0 ? h('tr', null, h('td', { class: 'empty', colspan: String(headers.length) }, emptyText)) : rows)));
}
