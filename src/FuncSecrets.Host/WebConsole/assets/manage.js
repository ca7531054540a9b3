// Rotation (rotate now, cancel, configure) and the resource policy editor of one secret.
import { call, ApiError } from './api.js';
import { h, replace, card, details, errorBox, notice, spinner, button, busy, formatTime, badge, field } from './dom.js';

export const BUILT_IN_ROTATOR = 'funcsecrets:builtin:password';

export function rotationCard(secret, reload) {
  const message = h('div', { id: 'rotation-message' });
  const rules = secret.RotationRules || {};
  const schedule = rules.ScheduleExpression
    || (rules.AutomaticallyAfterDays ? `Every ${rules.AutomaticallyAfterDays} days` : null);
  const configured = Boolean(secret.RotationLambdaARN);
  const deleted = Boolean(secret.DeletedDate);

  const rotateNow = button('Rotate now', () => busy(rotateNow, async () => {
    replace(message);
    try {
      const answer = await call('RotateSecret', { SecretId: secret.ARN, ClientRequestToken: crypto.randomUUID() });
      replace(message, notice(`Rotation started: version ${answer.VersionId} is AWSPENDING until the rotation finishes.`, 'success'));
      setTimeout(reload, 1500);
    } catch (error) {
      replace(message, errorBox(error));
    }
  }), 'primary', { id: 'rotate-now', disabled: !configured || deleted });

  const cancel = button('Cancel rotation', () => busy(cancel, async () => {
    replace(message);
    try {
      await call('CancelRotateSecret', { SecretId: secret.ARN });
      reload();
    } catch (error) {
      replace(message, errorBox(error));
    }
  }), 'secondary', { id: 'cancel-rotation', disabled: !secret.RotationEnabled || deleted });

  const form = h('div');
  const configure = button(configured ? 'Edit rotation' : 'Configure rotation', () => replace(form, rotationForm(secret, reload, () => replace(form))), 'secondary', { id: 'configure-rotation', disabled: deleted });

  return card('Rotation', [button('Refresh', reload, 'ghost', { id: 'refresh-secret' })],
    details([
      ['Status', secret.RotationEnabled ? badge('Enabled', 'badge-ok') : badge('Disabled', 'badge-off')],
      ['Rotation function', configured ? h('span', { class: 'mono' }, secret.RotationLambdaARN === BUILT_IN_ROTATOR ? `${secret.RotationLambdaARN} (built-in password rotator)` : secret.RotationLambdaARN) : 'None'],
      ['Schedule', schedule ? [schedule, rules.Duration ? ` (window ${rules.Duration})` : ''] : '—'],
      ['Last rotated', formatTime(secret.LastRotatedDate)],
      ['Next rotation', formatTime(secret.NextRotationDate)],
    ]),
    h('div', { class: 'row' }, rotateNow, cancel, configure),
    message, form);
}

function rotationForm(secret, reload, close) {
  const rules = secret.RotationRules || {};
  const fn = h('input', { id: 'rotation-function', class: 'mono', value: secret.RotationLambdaARN || BUILT_IN_ROTATOR, spellcheck: 'false' });
  const days = h('input', { id: 'rotation-days', type: 'number', min: '1', max: '1000', class: 'narrow', value: String(rules.AutomaticallyAfterDays || 30) });
  const expression = h('input', { id: 'rotation-expression', class: 'mono', placeholder: 'rate(10 days) or cron(0 16 1,15 * ? *)', value: rules.ScheduleExpression || '', spellcheck: 'false' });
  const immediately = h('input', { id: 'rotate-immediately', type: 'checkbox', checked: true });
  const message = h('div');
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'save-rotation' }, 'Save and rotate');
  immediately.addEventListener('change', () => { save.textContent = immediately.checked ? 'Save and rotate' : 'Save'; });

  return h('form', { class: 'subpanel', onSubmit: (event) => {
    event.preventDefault();
    busy(save, async () => {
      replace(message);
      const rotationRules = expression.value.trim() ? { ScheduleExpression: expression.value.trim() } : { AutomaticallyAfterDays: Number(days.value) };
      try {
        await call('RotateSecret', {
          SecretId: secret.ARN, ClientRequestToken: crypto.randomUUID(), RotationLambdaARN: fn.value.trim(), RotationRules: rotationRules, RotateImmediately: immediately.checked,
        });
        setTimeout(reload, immediately.checked ? 1500 : 0);
      } catch (error) {
        replace(message, errorBox(error));
      }
    });
  } },
  h('h3', null, 'Rotation settings'),
  field('Rotation function', fn, `A Lambda ARN mapped in settings, an https URL, or ${BUILT_IN_ROTATOR} for a generated password.`),
  h('div', { class: 'row' }, field('Every (days)', days), field('or schedule expression', expression)),
  h('label', { class: 'check' }, immediately, 'Rotate immediately'),
  message,
  h('div', { class: 'row' }, save, button('Cancel', close, 'ghost')));
}

export function policyCard(secret) {
  const body = h('div', { id: 'policy' }, spinner());
  (async () => {
    let current;
    try {
      current = (await call('GetResourcePolicy', { SecretId: secret.ARN })).ResourcePolicy;
    } catch (error) {
      replace(body, errorBox(error));
      return;
    }

    replace(body, policyEditor(secret, current));
  })();
  return card('Resource policy', null, body);
}

function policyEditor(secret, current) {
  const account = secret.ARN.split(':')[4];
  const template = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:user/app` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
  };
  const text = pretty(current) || JSON.stringify(template, null, 2);
  const editor = h('textarea', { id: 'policy-text', class: 'mono code', rows: String(Math.min(28, text.split('\n').length + 1)), spellcheck: 'false', value: text });
  const message = h('div', { id: 'policy-message' });

  const validate = async () => {
    try {
      JSON.parse(editor.value);
    } catch (error) {
      throw new ApiError('InvalidJson', `The policy is not valid JSON: ${error.message}`);
    }

    const answer = await call('ValidateResourcePolicy', { SecretId: secret.ARN, ResourcePolicy: editor.value });
    if (!answer.PolicyValidationPassed) {
      replace(message, h('div', { class: 'alert alert-error', role: 'alert' },
        h('strong', null, 'The policy did not pass validation.'),
        h('ul', null, (answer.ValidationErrors || []).map((item) => h('li', null, `${item.CheckName}: ${item.ErrorMessage}`)))));
    }

    return answer.PolicyValidationPassed;
  };

  const check = button('Validate', () => busy(check, async () => {
    replace(message);
    try {
      if (await validate()) {
        replace(message, notice('The policy passed validation.', 'success'));
      }
    } catch (error) {
      replace(message, errorBox(error));
    }
  }), 'secondary', { id: 'validate-policy' });

  const save = button('Save policy', () => busy(save, async () => {
    replace(message);
    try {
      if (await validate()) {
        await call('PutResourcePolicy', { SecretId: secret.ARN, ResourcePolicy: editor.value, BlockPublicPolicy: true });
        replace(message, notice('Policy saved.', 'success'));
      }
    } catch (error) {
      replace(message, errorBox(error));
    }
  }), 'primary', { id: 'save-policy' });

  const remove = button('Delete policy', () => busy(remove, async () => {
    replace(message);
    try {
      await call('DeleteResourcePolicy', { SecretId: secret.ARN });
      editor.value = JSON.stringify(template, null, 2);
      replace(message, notice('Policy deleted.', 'success'));
    } catch (error) {
      replace(message, errorBox(error));
    }
  }), 'danger-outline', { id: 'delete-policy', disabled: !current });

  return h('div', null,
    h('p', { class: 'muted' }, current ? 'Who else may use this secret. Validated by the service before it is saved; policies that grant broad access are refused.' : 'No resource policy. Start from the template below.'),
    editor, message, h('div', { class: 'row' }, check, save, remove));
}

function pretty(text) {
  if (!text) {
    return '';
  }

  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
