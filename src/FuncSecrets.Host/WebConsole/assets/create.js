// Store a new secret: name, description, encryption key, tags and the first value.
import { call, ApiError } from './api.js';
import { h, replace, card, errorBox, field, button } from './dom.js';
import { valueEditor } from './value.js';

export function renderCreate() {
  const name = h('input', { id: 'new-name', class: 'mono', required: true, spellcheck: 'false', placeholder: 'prod/app/database' });
  const description = h('input', { id: 'new-description', spellcheck: 'true' });
  const kmsKeyId = h('input', { id: 'new-kms-key', class: 'mono', spellcheck: 'false', placeholder: 'alias/aws/secretsmanager' });
  const tags = h('div', { class: 'kv-rows', id: 'new-tags' });
  const addTag = () => {
    const row = h('div', { class: 'kv-row' },
      h('input', { class: 'tag-key mono', placeholder: 'key', 'aria-label': 'Tag key', spellcheck: 'false' }),
      h('input', { class: 'tag-value mono', placeholder: 'value', 'aria-label': 'Tag value', spellcheck: 'false' }),
      button('Remove', () => row.remove(), 'ghost'));
    tags.append(row);
  };
  const editor = valueEditor();
  const message = h('div');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'create-submit' }, 'Store secret');

  const form = h('form', { class: 'create-form', onSubmit: async (event) => {
    event.preventDefault();
    replace(message);
    submit.disabled = true;
    try {
      const request = { Name: name.value.trim(), ClientRequestToken: crypto.randomUUID(), ...editor.read() };
      if (!request.Name) {
        throw new ApiError('InvalidName', 'Enter a name.');
      }

      if (description.value.trim()) {
        request.Description = description.value.trim();
      }

      if (kmsKeyId.value.trim()) {
        request.KmsKeyId = kmsKeyId.value.trim();
      }

      const tagList = [...tags.querySelectorAll('.kv-row')]
        .map((row) => ({ Key: row.querySelector('.tag-key').value.trim(), Value: row.querySelector('.tag-value').value }))
        .filter((tag) => tag.Key);
      if (tagList.length) {
        request.Tags = tagList;
      }

      const answer = await call('CreateSecret', request);
      window.location.hash = `#/secret/${encodeURIComponent(answer.Name)}`;
    } catch (error) {
      replace(message, errorBox(error));
    } finally {
      submit.disabled = false;
    }
  } },
  card('Secret', null,
    field('Name', name, 'Letters, digits and /_+=.@- ; up to 512 characters.'),
    field('Description', description),
    field('Encryption key', kmsKeyId, 'Optional: a Key Vault key URI or an alias configured for this service. Default: aws/secretsmanager.')),
  card('Value', null, editor.element),
  card('Tags', [button('Add tag', addTag, 'ghost', { id: 'new-add-tag' })], tags),
  message,
  h('div', { class: 'row' }, submit, h('a', { class: 'btn btn-ghost', href: '#/secrets' }, 'Cancel')));

  return h('div', null,
    h('div', { class: 'page-head' },
      h('div', null, h('nav', { class: 'crumbs' }, h('a', { href: '#/secrets' }, 'Secrets'), ' / ', h('span', null, 'New')), h('h1', null, 'Store a new secret'))),
    form);
}
