// The console's shell: sign-in, the session bar, and a hash router over the pages. Secret names
// may appear in the hash (#/secret/<name>); secret values never do.
import { call, loadCredentials, saveCredentials, clearCredentials, ApiError } from './api.js';
import { h, replace, field, errorBox, busy } from './dom.js';
import { renderList } from './list.js';
import { renderDetail } from './detail.js';
import { renderCreate } from './create.js';
import { renderAudit } from './audit.js';

const app = document.getElementById('app');
const defaultRegion = document.querySelector('meta[name="funcsecrets-region"]').getAttribute('content') || 'us-east-1';

function route() {
  const credentials = loadCredentials();
  showSession(credentials);
  if (!credentials) {
    renderSignIn();
    return;
  }

  const hash = window.location.hash || '#/secrets';
  const parts = hash.slice(1).split('/').filter(Boolean);
  let page;
  if (parts[0] === 'secret' && parts[1]) {
    const name = decodeURIComponent(parts[1]);
    page = parts[2] === 'audit' ? renderAudit(name) : renderDetail(name);
  } else if (parts[0] === 'create') {
    page = renderCreate();
  } else {
    page = renderList();
  }

  replace(app, page);
  window.scrollTo(0, 0);
}

function showSession(credentials) {
  const session = document.getElementById('session');
  session.hidden = !credentials;
  document.getElementById('session-key').textContent = credentials ? credentials.accessKeyId : '';
  document.getElementById('session-region').textContent = credentials ? credentials.region : '';
}

function renderSignIn() {
  const keyId = h('input', { name: 'accessKeyId', id: 'access-key-id', autocomplete: 'username', spellcheck: 'false', required: true });
  const secret = h('input', { name: 'secretAccessKey', id: 'secret-access-key', type: 'password', autocomplete: 'current-password', required: true });
  const token = h('input', { name: 'sessionToken', id: 'session-token', type: 'password', autocomplete: 'off' });
  const region = h('input', { name: 'region', id: 'region', value: defaultRegion, spellcheck: 'false', required: true });
  const message = h('div', { class: 'form-message' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', id: 'sign-in' }, 'Sign in');

  const form = h('form', { class: 'signin-form', novalidate: true, onSubmit: (event) => {
    event.preventDefault();
    const credentials = {
      accessKeyId: keyId.value.trim(),
      secretAccessKey: secret.value,
      sessionToken: token.value.trim() || undefined,
      region: region.value.trim(),
    };
    if (!credentials.accessKeyId || !credentials.secretAccessKey || !credentials.region) {
      replace(message, errorBox(new ApiError('Missing', 'Enter an access key ID, its secret access key and the region.')));
      return;
    }

    busy(submit, async () => {
      replace(message);
      try {
        // Any signed call proves the key: a refused key fails authentication before any policy.
        await call('ListSecrets', { MaxResults: 1 }, credentials);
      } catch (error) {
        if (!(error instanceof ApiError) || !error.isAccessDenied) {
          replace(message, errorBox(error, error.isAuthFailure ? 'Check the access key ID and secret access key.' : null));
          return;
        }
      }

      saveCredentials(credentials);
      secret.value = '';
      token.value = '';
      if (window.location.hash === '' || window.location.hash === '#/') {
        window.location.hash = '#/secrets';
      }

      route();
    });
  } },
  field('Access key ID', keyId),
  field('Secret access key', secret),
  h('details', { class: 'advanced' }, h('summary', null, 'Advanced'),
    field('Session token', token, 'Only for temporary credentials.'),
    field('Region', region, 'The region this service signs for.')),
  message,
  submit);

  replace(app, h('div', { class: 'signin' },
    h('div', { class: 'signin-card' },
      h('h1', null, 'Sign in to the console'),
      h('p', { class: 'muted' }, 'Use an access key of this service. Every call is signed in this browser (AWS Signature Version 4) and has exactly the key\'s permissions.'),
      form,
      h('p', { class: 'fineprint' }, 'The key is kept in this tab\'s session storage only and is removed when you sign out or close the tab.'))));
  keyId.focus();
}

document.getElementById('sign-out').addEventListener('click', () => {
  clearCredentials();
  window.location.hash = '#/secrets';
  route();
});

window.addEventListener('hashchange', route);
window.addEventListener('funcsecrets:navigate', route);
route();

