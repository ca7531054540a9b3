// One secret: details, value (reveal / put new value), versions and labels, rotation, tags,
// resource policy, and deletion with restore. Each section loads and fails on its own, so a key
// that may describe but not read still sees everything else.
import { call } from './api.js';
import { h, replace, card, details, errorBox, spinner, button, busy, formatTime, formatDay, labelBadge, table, field } from './dom.js';
import { valueViewer, valueEditor } from './value.js';
import { rotationCard, policyCard } from './manage.js';

export function renderDetail(name) {
  const page = h('div', { class: 'detail' }, spinner());
  const reload = () => load(page, name);
  reload();
  return page;
}

async function load(page, name) {
  let secret;
  try {
    secret = await call('DescribeSecret', { SecretId: name });
  } catch (error) {
    replace(page, header(name, null), errorBox(error, error.isAccessDenied ? 'This key may not describe this secret (secretsmanager:DescribeSecret).' : null));
    return;
  }

  const reload = () => load(page, name);
  replace(page,
    header(name, secret, reload),
    secret.DeletedDate ? deletionBanner(secret, reload) : null,
    overviewCard(secret),
    secret.DeletedDate ? null : valueCard(secret, reload),
    versionsCard(secret),
    rotationCard(secret, reload),
    tagsCard(secret, reload),
    policyCard(secret));
}

function header(name, secret, reload) {
  const actions = [h('a', { class: 'btn btn-secondary', href: `#/secret/${encodeURIComponent(name)}/audit`, id: 'open-audit' }, 'Audit trail')];
  if (secret && !secret.DeletedDate) {
    actions.push(deleteControl(secret, reload));
  }

  return h('div', { class: 'page-head' },
    h('div', null,
      h('nav', { class: 'crumbs' }, h('a', { href: '#/secrets' }, 'Secrets'), ' / ', h('span', null, name)),
      h('h1', { id: 'secret-name' }, name)),
    h('div', { class: 'head-actions' }, actions));
}

function overviewCard(secret) {
  return card('Secret details', null, details([
    ['ARN', h('span', { class: 'mono', id: 'secret-arn' }, secret.ARN)],
    ['Description', secret.Description || h('span', { class: 'muted' }, 'No description')],
    ['Encryption key', secret.KmsKeyId ? h('span', { class: 'mono' }, secret.KmsKeyId) : h('span', null, 'aws/secretsmanager ', h('span', { class: 'muted' }, '(default)'))],
    ['Created', formatTime(secret.CreatedDate)],
    ['Last changed', formatTime(secret.LastChangedDate)],
    ['Last accessed', formatDay(secret.LastAccessedDate)],
    secret.OwningService ? ['Owning service', secret.OwningService] : null,
  ]));
}

function deletionBanner(secret, reload) {
  const message = h('div');
  const restore = button('Restore secret', () => busy(restore, async () => {
    try {
      await call('RestoreSecret', { SecretId: secret.ARN });
      reload();
    } catch (error) {
      replace(message, errorBox(error));
    }
  }), 'primary', { id: 'restore-secret' });
  return h('div', { class: 'alert alert-warning banner', id: 'deletion-banner' },
    h('div', null, h('strong', null, 'Scheduled for deletion. '),
      `This secret will be deleted on ${formatTime(secret.DeletedDate)}. Until then it can be restored; its value cannot be read or changed.`),
    restore, message);
}

function deleteControl(secret, reload) {
  const wrap = h('div', { class: 'inline-confirm' });
  const open = button('Delete', () => {
    const days = h('input', { type: 'number', min: '7', max: '30', value: '30', class: 'narrow', id: 'recovery-days', 'aria-label': 'Recovery window in days' });
    const message = h('span');
    const confirm = button('Schedule deletion', () => busy(confirm, async () => {
      try {
        await call('DeleteSecret', { SecretId: secret.ARN, RecoveryWindowInDays: Number(days.value) });
        reload();
      } catch (error) {
        replace(message, errorBox(error));
      }
    }), 'danger', { id: 'confirm-delete' });
    replace(wrap, h('span', { class: 'muted' }, 'Recovery window (days)'), days, confirm, button('Cancel', () => replace(wrap, open), 'ghost'), message);
  }, 'danger-outline', { id: 'delete-secret' });
  wrap.append(open);
  return wrap;
}

function valueCard(secret, reload) {
  const area = h('div', { class: 'put-value' });
  const open = button('Put new value', () => {
    const editor = valueEditor();
    const message = h('div');
    const save = button('Save new version', () => busy(save, async () => {
      replace(message);
      try {
        const value = editor.read();
        await call('PutSecretValue', { SecretId: secret.ARN, ClientRequestToken: crypto.randomUUID(), ...value });
        reload();
      } catch (error) {
        replace(message, errorBox(error));
      }
    }), 'primary', { id: 'save-value' });
    replace(area, h('div', { class: 'subpanel' },
      h('h3', null, 'New value'),
      h('p', { class: 'muted' }, 'The new version becomes AWSCURRENT; the version that was current becomes AWSPREVIOUS.'),
      editor.element, message, h('div', { class: 'row' }, save, button('Cancel', () => replace(area), 'ghost'))));
  }, 'secondary', { id: 'put-value' });
  return card('Secret value', [open], valueViewer(secret.ARN), area);
}

function versionsCard(secret) {
  const body = h('div', { id: 'versions' }, spinner());
  (async () => {
    try {
      const answer = await call('ListSecretVersionIds', { SecretId: secret.ARN, IncludeDeprecated: true, MaxResults: 100 });
      const versions = (answer.Versions || []).sort((a, b) => (b.CreatedDate || 0) - (a.CreatedDate || 0));
      replace(body, table(['Version ID', 'Labels', 'Created', 'Last accessed'], versions.map((version) => h('tr', { 'data-version': version.VersionId },
        h('td', { class: 'mono' }, version.VersionId),
        h('td', { class: 'labels' }, (version.VersionStages || []).length ? version.VersionStages.map(labelBadge) : h('span', { class: 'muted' }, 'deprecated')),
        h('td', null, formatTime(version.CreatedDate)),
        h('td', null, formatDay(version.LastAccessedDate)))), 'No versions yet.'));
    } catch (error) {
      replace(body, errorBox(error));
    }
  })();
  return card('Versions', null, body);
}

function tagsCard(secret, reload) {
  const tags = secret.Tags || [];
  const message = h('div');
  const rows = tags.map((tag) => {
    const remove = button('Remove', () => busy(remove, async () => {
      try {
        await call('UntagResource', { SecretId: secret.ARN, TagKeys: [tag.Key] });
        reload();
      } catch (error) {
        replace(message, errorBox(error));
      }
    }), 'ghost');
    return h('tr', null, h('td', { class: 'mono' }, tag.Key), h('td', { class: 'mono' }, tag.Value), h('td', { class: 'cell-actions' }, secret.DeletedDate ? null : remove));
  });

  const key = h('input', { id: 'tag-key', placeholder: 'Key', spellcheck: 'false' });
  const value = h('input', { id: 'tag-value', placeholder: 'Value', spellcheck: 'false' });
  const add = h('button', { type: 'submit', class: 'btn btn-secondary', id: 'add-tag' }, 'Add tag');
  const form = h('form', { class: 'row', onSubmit: (event) => {
    event.preventDefault();
    busy(add, async () => {
      try {
        await call('TagResource', { SecretId: secret.ARN, Tags: [{ Key: key.value.trim(), Value: value.value }] });
        reload();
      } catch (error) {
        replace(message, errorBox(error));
      }
    });
  } }, field('Key', key), field('Value', value), add);
  return card('Tags', null, table(['Key', 'Value', ''], rows, 'No tags.'), secret.DeletedDate ? null : form, message);
}

