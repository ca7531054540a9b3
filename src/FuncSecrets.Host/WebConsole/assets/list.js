// Secrets list: name-prefix search, tag filter, sort, paging, and secrets scheduled for deletion on request.
import { call } from './api.js';
import { h, replace, table, errorBox, spinner, formatTime, formatDay, badge, button, field } from './dom.js';

// Kept while the tab lives, so "back" from a secret returns to the same search.
const state = { prefix: '', tagKey: '', tagValue: '', sortBy: 'name', sortOrder: 'asc', pageSize: 25, includeDeleted: false, tokens: [undefined], page: 0 };

export function renderList() {
  const results = h('div', { class: 'results' });
  const prefix = h('input', { id: 'filter-name', type: 'search', placeholder: 'Name starts with…', value: state.prefix, spellcheck: 'false' });
  const tagKey = h('input', { id: 'filter-tag-key', placeholder: 'Tag key', value: state.tagKey, spellcheck: 'false' });
  const tagValue = h('input', { id: 'filter-tag-value', placeholder: 'Tag value', value: state.tagValue, spellcheck: 'false' });
  const sortBy = select('sort-by', [['name', 'Name'], ['created-date', 'Created'], ['last-changed-date', 'Last changed'], ['last-accessed-date', 'Last accessed']], state.sortBy);
  const sortOrder = select('sort-order', [['asc', 'Ascending'], ['desc', 'Descending']], state.sortOrder);
  const pageSize = select('page-size', [['10', '10'], ['25', '25'], ['50', '50'], ['100', '100']], String(state.pageSize));
  const includeDeleted = h('input', { id: 'include-deleted', type: 'checkbox', checked: state.includeDeleted });

  const search = (event) => {
    if (event) {
      event.preventDefault();
    }

    Object.assign(state, {
      prefix: prefix.value.trim(), tagKey: tagKey.value.trim(), tagValue: tagValue.value.trim(), sortBy: sortBy.value, sortOrder: sortOrder.value,
      pageSize: Number(pageSize.value), includeDeleted: includeDeleted.checked, tokens: [undefined], page: 0,
    });
    load(results);
  };
  for (const control of [sortBy, sortOrder, pageSize, includeDeleted]) {
    control.addEventListener('change', search);
  }

  const toolbar = h('form', { class: 'toolbar', onSubmit: search },
    field('Name', prefix),
    field('Tag', h('div', { class: 'pair' }, tagKey, tagValue)),
    field('Sort by', h('div', { class: 'pair' }, sortBy, sortOrder)),
    field('Per page', pageSize),
    h('label', { class: 'check' }, includeDeleted, 'Show secrets scheduled for deletion'),
    h('div', { class: 'toolbar-actions' }, h('button', { type: 'submit', class: 'btn btn-secondary', id: 'search' }, 'Search')));

  load(results);
  return h('div', null,
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Secrets'), h('p', { class: 'muted' }, 'Secrets this key may list, in this region.')),
      h('a', { class: 'btn btn-primary', href: '#/create', id: 'create-secret' }, 'Store a new secret')),
    h('section', { class: 'card' }, h('div', { class: 'card-body' }, toolbar, results)));
}

function select(id, options, current) {
  return h('select', { id }, options.map(([value, text]) => h('option', { value, selected: value === current }, text)));
}

async function load(results) {
  replace(results, spinner());
  const filters = [];
  if (state.prefix) {
    filters.push({ Key: 'name', Values: [state.prefix] });
  }

  if (state.tagKey) {
    filters.push({ Key: 'tag-key', Values: [state.tagKey] });
  }

  if (state.tagValue) {
    filters.push({ Key: 'tag-value', Values: [state.tagValue] });
  }

  const request = { MaxResults: state.pageSize, SortBy: state.sortBy, SortOrder: state.sortOrder, IncludePlannedDeletion: state.includeDeleted };
  if (filters.length) {
    request.Filters = filters;
  }

  if (state.tokens[state.page]) {
    request.NextToken = state.tokens[state.page];
  }

  let answer;
  try {
    answer = await call('ListSecrets', request);
  } catch (error) {
    replace(results, errorBox(error, error.isAccessDenied ? 'This key may not list secrets (secretsmanager:ListSecrets).' : null));
    return;
  }

  state.tokens[state.page + 1] = answer.NextToken;
  const rows = (answer.SecretList || []).map((secret) => h('tr', { 'data-secret': secret.Name },
    h('td', null, h('a', { href: `#/secret/${encodeURIComponent(secret.Name)}`, class: 'secret-link' }, secret.Name)),
    h('td', { class: 'muted clip' }, secret.Description || ''),
    h('td', null, secret.RotationEnabled ? badge('Enabled', 'badge-ok') : badge('Off', 'badge-off')),
    h('td', null, formatTime(secret.LastChangedDate)),
    h('td', null, formatDay(secret.LastAccessedDate)),
    h('td', null, secret.DeletedDate ? badge(`Deleting ${formatDay(secret.DeletedDate)}`, 'badge-danger') : badge('Active', 'badge-ok'))));

  const previous = button('Previous', () => { state.page -= 1; load(results); }, 'secondary', { disabled: state.page === 0, id: 'page-previous' });
  const next = button('Next', () => { state.page += 1; load(results); }, 'secondary', { disabled: !answer.NextToken, id: 'page-next' });
  replace(results,
    table(['Name', 'Description', 'Rotation', 'Last changed', 'Last accessed', 'Status'], rows, 'No secrets match.'),
    h('div', { class: 'pager' }, h('span', { class: 'muted' }, `Page ${state.page + 1}`), previous, next));
}
