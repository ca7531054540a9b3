// The audit trail of one secret, newest first: CloudTrail's LookupEvents with ResourceName, signed
// with the caller's key, which needs cloudtrail:LookupEvents.
import { lookupEvents } from './api.js';
import { h, replace, errorBox, spinner, formatTime, badge, button, table, field } from './dom.js';

const RANGES = [['1', 'Last hour'], ['24', 'Last 24 hours'], ['168', 'Last 7 days'], ['720', 'Last 30 days'], ['2160', 'Last 90 days']];

export function renderAudit(name) {
  const range = h('select', { id: 'audit-range' }, RANGES.map(([hours, text]) => h('option', { value: hours, selected: hours === '24' }, text)));
  const results = h('div', { id: 'audit-results' });
  const refresh = button('Refresh', () => start(), 'secondary', { id: 'audit-refresh' });
  const start = () => load(name, Number(range.value), results, null, []);
  range.addEventListener('change', start);
  start();

  return h('div', null,
    h('div', { class: 'page-head' },
      h('div', null,
        h('nav', { class: 'crumbs' }, h('a', { href: '#/secrets' }, 'Secrets'), ' / ', h('a', { href: `#/secret/${encodeURIComponent(name)}` }, name), ' / ', h('span', null, 'Audit trail')),
        h('h1', null, 'Audit trail'),
        h('p', { class: 'muted' }, 'Every call about this secret, newest first: who, from where, and the outcome. Values are never recorded.'))),
    h('section', { class: 'card' }, h('div', { class: 'card-body' },
      h('div', { class: 'toolbar' }, field('Time range', range), h('div', { class: 'toolbar-actions' }, refresh)),
      results)));
}

async function load(name, hours, results, nextToken, shown) {
  if (!nextToken) {
    replace(results, spinner());
  }

  const request = { LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: name }], StartTime: Math.floor(Date.now() / 1000) - hours * 3600, MaxResults: 50 };
  if (nextToken) {
    request.NextToken = nextToken;
  }

  let answer;
  try {
    answer = await lookupEvents(request);
  } catch (error) {
    replace(results, errorBox(error, error.isAccessDenied ? 'Reading the audit trail needs cloudtrail:LookupEvents on "*" in the key\'s policy.' : null));
    return;
  }

  const events = shown.concat(answer.Events || []);
  const rows = events.flatMap(eventRows);
  const more = answer.NextToken
    ? button('Load older events', () => load(name, hours, results, answer.NextToken, events), 'secondary', { id: 'audit-more' })
    : null;
  replace(results,
    table(['Time', 'Event', 'Principal', 'Source IP', 'Result', ''], rows, 'No events in this time range.'),
    h('div', { class: 'pager' }, h('span', { class: 'muted' }, `${events.length} event${events.length === 1 ? '' : 's'}`), more));
}

function eventRows(event) {
  let detail = {};
  try {
    detail = JSON.parse(event.CloudTrailEvent || '{}');
  } catch {
    detail = {};
  }

  const full = h('tr', { class: 'event-detail', hidden: true },
    h('td', { colspan: '6' }, h('pre', { class: 'code' }, JSON.stringify(detail, null, 2))));
  const toggle = button('Details', () => { full.hidden = !full.hidden; }, 'ghost');
  const identity = detail.userIdentity || {};
  return [
    h('tr', { class: 'event-row', 'data-event': event.EventName },
      h('td', { class: 'nowrap' }, formatTime(event.EventTime)),
      h('td', null, h('span', { class: 'event-name' }, event.EventName), event.ReadOnly === 'true' ? null : badge('write', 'badge-custom')),
      h('td', null, h('div', null, identity.arn || identity.invokedBy || event.Username || 'anonymous'), h('div', { class: 'muted mono small' }, event.AccessKeyId || '')),
      h('td', { class: 'mono' }, detail.sourceIPAddress || '—'),
      h('td', null, detail.errorCode ? badge(detail.errorCode, 'badge-danger') : badge('Success', 'badge-ok')),
      h('td', { class: 'cell-actions' }, toggle)),
    full,
  ];
}
