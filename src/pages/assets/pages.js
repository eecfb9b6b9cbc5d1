// Public pages: the forms and private-link pages talk to the JSON API with fetch.
// Data from the API is only ever put into the page as text (textContent), never as HTML.
(function () {
  'use strict';

  const body = document.body;
  const locale = body.dataset.locale || 'en';
  const texts = JSON.parse(document.getElementById('page-texts').textContent);
  const query = new URLSearchParams(window.location.search);
  const SLOT_REFRESH_MS = 15000;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => (values[key] === undefined ? '' : String(values[key])));
  }

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = value;
      else if (key === 'className') node.className = value;
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  // Keep the private token (and anything else in the address) when switching language.
  for (const link of document.querySelectorAll('a.lang-link')) {
    const params = new URLSearchParams(window.location.search);
    params.set('lang', link.getAttribute('hreflang'));
    link.href = window.location.pathname + '?' + params.toString();
  }

  function pageLink(path, token) {
    const params = new URLSearchParams({ token, lang: locale });
    return path + '?' + params.toString();
  }

  /** The token of a private link, whether the API gives a page link (?token=) or an API path (/.../<token>). */
  function tokenOf(url) {
    const parsed = new URL(url, window.location.origin);
    return parsed.searchParams.get('token') || parsed.pathname.split('/').filter(Boolean).pop();
  }

  async function api(method, path, payload, headers) {
    let response;
    try {
      response = await fetch(path, {
        method,
        headers: Object.assign({ Accept: 'application/json' }, payload === undefined ? {} : { 'Content-Type': 'application/json' }, headers || {}),
        body: payload === undefined ? undefined : JSON.stringify(payload),
        credentials: 'same-origin',
      });
    } catch {
      return { ok: false, status: 0, messages: [texts.networkError] };
    }
    let data = null;
    const type = response.headers.get('content-type') || '';
    if (type.includes('application/json')) data = await response.json().catch(() => null);
    if (response.ok) return { ok: true, status: response.status, data };
    let messages;
    if (response.status === 429) messages = [texts.tooManyRequests];
    else if (response.status >= 500 || !data) messages = [texts.genericError];
    else messages = Array.isArray(data.message) ? data.message : [String(data.message || texts.genericError)];
    return { ok: false, status: response.status, messages };
  }

  // ---- Forms: collect fields as JSON, show the API's messages next to the fields they name.

  function clearErrors(form) {
    const summary = form.querySelector('.form-error');
    summary.hidden = true;
    summary.textContent = '';
    for (const error of form.querySelectorAll('.field-error')) {
      error.hidden = true;
      error.textContent = '';
    }
    for (const invalid of form.querySelectorAll('[aria-invalid]')) invalid.removeAttribute('aria-invalid');
  }

  /**
   * messages: the API's strings like "email must be an email" (the first word names the field when the form
   * has it), or { field, text } from the page's own checks.
   */
  function showErrors(form, messages) {
    const general = [];
    const byField = new Map();
    for (const message of messages) {
      const name = typeof message === 'object' ? message.field : String(message).split(/[\s.]/)[0];
      const text = typeof message === 'object' ? message.text : String(message);
      const holder = name ? form.querySelector('[data-field="' + CSS.escape(name) + '"]') : null;
      if (holder) byField.set(holder, (byField.get(holder) || []).concat(text));
      else general.push(text);
    }
    let first = null;
    for (const [holder, fieldMessages] of byField) {
      const error = holder.querySelector('.field-error');
      error.textContent = fieldMessages.join('; ');
      error.hidden = false;
      const control = holder.matches('fieldset') ? holder : holder.querySelector('input, textarea');
      control.setAttribute('aria-invalid', 'true');
      if (!first) first = holder.matches('fieldset') ? holder.querySelector('input') || holder : control;
    }
    const summary = form.querySelector('.form-error');
    summary.textContent = general.length > 0 ? general.join(' ') : texts.formHasErrors;
    summary.hidden = false;
    if (first) first.focus();
  }

  function formPayload(form) {
    const payload = {};
    for (const control of form.elements) {
      if (!control.name || control.dataset.kind === 'path') continue;
      const kind = control.dataset.kind;
      if (kind === 'array') {
        payload[control.name] = payload[control.name] || [];
        if (control.checked) payload[control.name].push(control.value);
      } else if (kind === 'bool') {
        payload[control.name] = control.checked;
      } else if (control.type === 'radio') {
        if (control.checked) payload[control.name] = control.value;
      } else if (control.value.trim() !== '') {
        payload[control.name] = kind === 'int' && /^\s*-?\d+\s*$/.test(control.value) ? Number(control.value) : control.value;
      }
    }
    for (const [key, value] of Object.entries(payload)) if (Array.isArray(value) && value.length === 0 && key === 'languages') delete payload[key];
    return payload;
  }

  /** Wires a form: `check` may return client-side messages; `path` builds the URL; `done` shows the result. */
  function wireForm(form, options) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const payload = formPayload(form);
      const local = options.check ? options.check(payload) : [];
      if (local.length > 0) return showErrors(form, local);
      const [method, template] = form.dataset.api.split(' ');
      const path = options.path ? options.path(template, payload) : template;
      const button = form.querySelector('button[type="submit"]');
      const label = button.textContent;
      button.disabled = true;
      button.textContent = texts.sending;
      const result = await api(method, path, options.body ? options.body(payload) : payload);
      button.disabled = false;
      button.textContent = label;
      if (!result.ok) return showErrors(form, result.messages);
      options.done(result.data, payload);
    });
  }

  function showResult(id) {
    const result = document.getElementById(id);
    result.hidden = false;
    result.focus();
    return result;
  }

  // ---- Times in the ceremony's zone, in the page language.

  function timeIn(zone) {
    return new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  }
  function dateIn(zone) {
    return new Intl.DateTimeFormat(locale, { timeZone: zone, day: 'numeric', month: 'long' });
  }
  function isoDateIn(zone, instant) {
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
  }
  function range(zone, from, to, day) {
    const time = timeIn(zone);
    const span = time.format(new Date(from)) + '–' + time.format(new Date(to));
    return day && isoDateIn(zone, from) !== day ? dateIn(zone).format(new Date(from)) + ', ' + span : span;
  }

  // ---- Ceremony page: the subscription form.

  function ceremonyPage() {
    const form = document.getElementById('subscribe-form');
    if (!form) return;
    wireForm(form, {
      done() {
        form.hidden = true;
        showResult('subscribe-result');
      },
    });
  }

  // ---- Visit booking with live remaining places.

  function visitPage() {
    const form = document.getElementById('visit-form');
    if (!form) return;
    const ceremonyId = body.dataset.ceremonyId;
    const zone = body.dataset.timeZone;
    const list = document.getElementById('f-slotId-list');

    function renderSlots(slots) {
      const chosen = form.querySelector('input[name="slotId"]:checked');
      const chosenId = chosen ? chosen.value : null;
      const hadFocus = document.activeElement && document.activeElement.name === 'slotId' ? document.activeElement.value : null;
      list.replaceChildren();
      if (slots.length === 0) list.append(element('p', { text: texts.visitNoSlots }));
      for (const slot of slots) {
        const id = 'slot-' + slot.id;
        const full = slot.remaining <= 0;
        const detail = full ? texts.visitFull : fill(texts.visitPlacesLeft, { n: slot.remaining });
        const input = element('input', { type: 'radio', id, name: 'slotId', value: slot.id, 'data-kind': 'path', 'data-remaining': slot.remaining });
        if (slot.id === chosenId) input.checked = true;
        list.append(
          element('div', { className: 'check' }, [
            input,
            element('label', { for: id }, [
              element('span', { className: 'choice-label', text: range(zone, slot.startsAt, slot.endsAt, body.dataset.date) }),
              element('span', { className: 'choice-detail' + (full ? ' full' : ''), 'data-slot-remaining': slot.id, text: detail }),
            ]),
          ]),
        );
        if (slot.id === hadFocus) input.focus();
      }
    }

    async function loadSlots() {
      const result = await api('GET', '/ceremonies/' + encodeURIComponent(ceremonyId) + '/visit-slots');
      if (!result.ok) {
        list.replaceChildren(element('p', { className: 'field-error', text: result.messages.join(' ') }));
        return;
      }
      const slots = Array.isArray(result.data) ? result.data : result.data.items || [];
      renderSlots(slots);
    }

    void loadSlots();
    window.setInterval(() => {
      if (!document.hidden) void loadSlots();
    }, SLOT_REFRESH_MS);

    wireForm(form, {
      check(payload) {
        const chosen = form.querySelector('input[name="slotId"]:checked');
        if (!chosen) return [{ field: 'slotId', text: texts.visitSlotRequired }];
        // Known to be full from the last refresh: say so in the page language (the API still decides).
        const tooFew = Number(chosen.dataset.remaining) < (typeof payload.partySize === 'number' ? payload.partySize : 1);
        return tooFew && !payload.waitlist ? [{ field: 'slotId', text: texts.visitSlotFull }] : [];
      },
      path(template) {
        const slotId = form.querySelector('input[name="slotId"]:checked').value;
        return template.replace('{slotId}', encodeURIComponent(slotId));
      },
      done(data) {
        form.hidden = true;
        const waitlisted = data.status === 'waitlisted';
        document.getElementById('visit-result-title').textContent = waitlisted ? texts.visitWaitlistedTitle : texts.visitConfirmedTitle;
        document.getElementById('visit-result-text').textContent = waitlisted ? texts.visitWaitlistedText : '';
        document.getElementById('visit-manage-link').href = pageLink('/p/visit/manage', tokenOf(data.manageUrl));
        showResult('visit-result');
        void loadSlots();
      },
    });
  }

  // ---- Volunteer sign-up with the roles.

  function volunteerPage() {
    const form = document.getElementById('volunteer-form');
    if (!form) return;
    const ceremonyId = body.dataset.ceremonyId;
    const list = document.getElementById('f-roleIds-list');

    async function loadRoles() {
      // Role names and descriptions in the page's language.
      const result = await api('GET', '/ceremonies/' + encodeURIComponent(ceremonyId) + '/volunteer-roles?lang=' + encodeURIComponent(locale));
      if (!result.ok) {
        list.replaceChildren(element('p', { className: 'field-error', text: result.messages.join(' ') }));
        return;
      }
      const roles = Array.isArray(result.data) ? result.data : result.data.items || [];
      list.replaceChildren();
      if (roles.length === 0) list.append(element('p', { text: texts.volunteerNoRoles }));
      for (const role of roles) {
        const id = 'role-' + role.id;
        const full = role.remaining <= 0;
        list.append(
          element('div', { className: 'check' }, [
            element('input', { type: 'checkbox', id, name: 'roleIds', value: role.id, 'data-kind': 'array' }),
            element('label', { for: id }, [
              element('span', { className: 'choice-label', text: role.name }),
              element('span', { className: 'choice-detail', text: fill(texts.volunteerShift, { start: role.shiftStart, end: role.shiftEnd }) }),
              role.description ? element('span', { className: 'choice-detail', text: role.description }) : null,
              element('span', { className: 'choice-detail' + (full ? ' full' : ''), text: full ? texts.volunteerRoleFull : fill(texts.volunteerRoleLeft, { n: role.remaining }) }),
            ]),
          ]),
        );
      }
    }

    void loadRoles();
    wireForm(form, {
      check(payload) {
        return payload.roleIds && payload.roleIds.length > 0 ? [] : [{ field: 'roleIds', text: texts.volunteerRoleRequired }];
      },
      done() {
        form.hidden = true;
        showResult('volunteer-result');
      },
    });
  }

  // ---- Pages behind private links.

  const record = document.getElementById('record');
  const pageError = document.querySelector('main > .form-error');
  const token = query.get('token');

  function fail(messages, status) {
    record.replaceChildren();
    pageError.textContent = status === 404 || status === 400 ? texts.linkInvalid : messages.join(' ');
    pageError.hidden = false;
  }

  function facts(rows) {
    return element(
      'dl',
      { className: 'facts' },
      rows.filter(Boolean).map(([term, value]) => element('div', {}, [element('dt', { text: term }), element('dd', { text: value })])),
    );
  }

  function actionButton(label, className) {
    return element('button', { type: 'button', className, text: label });
  }

  async function runAction(button, work) {
    const label = button.textContent;
    button.disabled = true;
    button.textContent = texts.sending;
    pageError.hidden = true;
    await work();
    button.disabled = false;
    button.textContent = label;
  }

  function visitManagePage() {
    const statusLabel = { confirmed: texts.bookingStatusConfirmed, waitlisted: texts.bookingStatusWaitlisted, cancelled: texts.bookingStatusCancelled };
    function render(booking) {
      const zone = booking.ceremony.timeZone;
      const day = dateIn(zone).format(new Date(booking.slot.startsAt));
      const children = [
        facts([
          [texts.bookingStatus, statusLabel[booking.status] || booking.status],
          [texts.fieldName, booking.name],
          [texts.bookingTime, day + ', ' + range(zone, booking.slot.startsAt, booking.slot.endsAt) + ' (' + zone + ')'],
          [texts.bookingPlace, booking.ceremony.venueName + ', ' + booking.ceremony.venueAddress],
          [texts.fieldPartySize, String(booking.partySize)],
          booking.groupName ? [texts.fieldGroupName, booking.groupName] : null,
          booking.checkedIn ? [texts.bookingCheckedIn, texts.yes] : null,
        ]),
      ];
      if (booking.checkInQr && !booking.checkedIn) {
        children.push(
          element('figure', { className: 'check-in-qr' }, [
            element('img', { id: 'check-in-qr', src: booking.checkInQr, alt: texts.bookingCheckInQr, width: '174', height: '174' }),
            element('figcaption', { text: texts.bookingCheckInQr }),
          ]),
        );
      }
      // The holder's copy of everything stored about the booking (GET /bookings/manage/:token/export).
      children.push(
        element('p', {}, [element('a', { id: 'download-booking', href: '/bookings/manage/' + encodeURIComponent(token) + '/export', download: 'booking.json', text: texts.bookingDownload })]),
      );
      if (booking.status === 'cancelled') {
        children.push(element('p', { className: 'notice', role: 'status', text: texts.bookingCancelledText }));
      } else if (!booking.checkedIn) {
        const cancel = actionButton(texts.bookingCancel, 'secondary');
        cancel.id = 'cancel-booking';
        cancel.addEventListener('click', () =>
          runAction(cancel, async () => {
            const result = await api('DELETE', '/bookings/manage/' + encodeURIComponent(token));
            if (!result.ok) return fail(result.messages, result.status === 404 ? 404 : 0);
            render(result.data);
            record.querySelector('.notice').focus();
          }),
        );
        children.push(element('p', { text: texts.bookingCancelHint }), element('div', { className: 'actions' }, [cancel]));
      }
      record.replaceChildren(element('h2', { text: booking.ceremony.title }), ...children);
      const notice = record.querySelector('.notice');
      if (notice) notice.tabIndex = -1;
    }
    if (!token) return fail([], 404);
    void api('GET', '/bookings/manage/' + encodeURIComponent(token)).then((result) => (result.ok ? render(result.data) : fail(result.messages, result.status)));
  }

  function rolesList(roles) {
    const stateLabel = (role) =>
      role.state === 'assigned' ? texts.meRoleAssigned : role.state === 'waitlisted' ? fill(texts.meRoleWaitlisted, { n: role.waitlistRank || '' }) : texts.meRoleRequested;
    return element(
      'ul',
      { className: 'roles' },
      roles.map((role) => element('li', { text: role.name + ' (' + role.shiftStart + '–' + role.shiftEnd + '): ' + stateLabel(role) })),
    );
  }

  /** A page behind an emailed confirm link: one button, which posts the token and shows the outcome. */
  function oneButtonConfirmPage(path, done) {
    const button = document.getElementById('action');
    if (!token) return fail([], 404);
    record.replaceChildren();
    button.hidden = false;
    button.addEventListener('click', () =>
      runAction(button, async () => {
        const result = await api('POST', path, { token });
        if (!result.ok) return fail(result.messages, result.status);
        button.hidden = true;
        document.getElementById('intro').hidden = true;
        const heading = done(result.data);
        heading.focus();
      }),
    );
  }

  function volunteerConfirmPage() {
    oneButtonConfirmPage('/volunteers/confirm', (data) => {
      const heading = element('h2', { text: texts.volunteerConfirmedTitle, tabindex: '-1' });
      record.replaceChildren(
        heading,
        element('h3', { text: texts.fieldRoles }),
        rolesList(data.roles || []),
        element('p', {}, [element('a', { href: pageLink('/p/volunteer/me', data.manageToken || token), text: texts.volunteerManageLink })]),
      );
      return heading;
    });
  }

  function volunteerManagePage() {
    const statusLabel = { pending: texts.meStatusPending, confirmed: texts.meStatusConfirmed, withdrawn: texts.meStatusWithdrawn };
    const headers = { 'X-Manage-Token': token || '' };
    function render(volunteer) {
      const exportButton = actionButton(texts.meExport, 'secondary');
      exportButton.id = 'export-data';
      exportButton.addEventListener('click', () =>
        runAction(exportButton, async () => {
          const result = await api('GET', '/volunteers/me/export', undefined, headers);
          if (!result.ok) return fail(result.messages, result.status);
          const file = new Blob([JSON.stringify(result.data, null, 2)], { type: 'application/json' });
          const link = element('a', { href: URL.createObjectURL(file), download: 'my-volunteer-data.json' });
          document.body.append(link);
          link.click();
          link.remove();
        }),
      );
      const withdraw = actionButton(texts.meWithdraw, 'secondary');
      withdraw.id = 'withdraw';
      withdraw.addEventListener('click', () =>
        runAction(withdraw, async () => {
          const result = await api('DELETE', '/volunteers/me', undefined, headers);
          if (!result.ok) return fail(result.messages, result.status);
          const done = element('p', { className: 'notice', role: 'status', tabindex: '-1', text: texts.meWithdrawnText });
          record.replaceChildren(done);
          done.focus();
        }),
      );
      record.replaceChildren(
        facts([
          [texts.meStatus, statusLabel[volunteer.status] || volunteer.status],
          [texts.fieldName, volunteer.name || ''],
          [texts.fieldEmail, volunteer.email || ''],
          volunteer.phone ? [texts.fieldPhone, volunteer.phone] : null,
          [texts.fieldConsent, volunteer.consentReminders ? texts.yes : texts.no],
        ]),
        element('h2', { text: texts.fieldRoles }),
        rolesList(volunteer.roles || []),
        element('div', { className: 'actions' }, [exportButton]),
        element('p', { text: texts.meWithdrawHint }),
        element('div', { className: 'actions' }, [withdraw]),
      );
    }
    if (!token) return fail([], 404);
    void api('GET', '/volunteers/me', undefined, headers).then((result) => (result.ok ? render(result.data) : fail(result.messages, result.status)));
  }

  function subscriptionConfirmPage() {
    oneButtonConfirmPage('/subscriptions/confirm', () => {
      const heading = element('h2', { text: texts.subscriptionConfirmedTitle, tabindex: '-1' });
      record.replaceChildren(heading, element('p', { text: texts.subscriptionConfirmedText }));
      return heading;
    });
  }

  const pages = {
    ceremony: ceremonyPage,
    visit: visitPage,
    volunteer: volunteerPage,
    visitManage: visitManagePage,
    volunteerConfirm: volunteerConfirmPage,
    volunteerManage: volunteerManagePage,
    subscriptionConfirm: subscriptionConfirmPage,
  };
  const start = pages[body.dataset.page];
  if (start) start();
})();
