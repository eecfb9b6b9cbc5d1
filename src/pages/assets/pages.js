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
        headers: Object.assign(
          { Accept: 'application/json', 'Accept-Language': locale },
          payload === undefined ? {} : { 'Content-Type': 'application/json' },
          headers || {},
        ),
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
    const errors = data && Array.isArray(data.errors) ? data.errors : null;
    if (response.status === 429) messages = [texts.tooManyRequests];
    else if (response.status >= 500 || !data) messages = [texts.genericError];
    else if (errors) messages = errors.map(errorText);
    // An error without codes (a 404 of a private link, say) is the API's English: never shown as such.
    else messages = [locale === 'en' && data.message ? String(data.message) : texts.genericError];
    return {
      ok: false,
      status: response.status,
      messages,
      errors,
      fits: data && Array.isArray(data.fits) ? data.fits : [],
    };
  }

  // ---- Errors in the page's language: the API's code of each error, the page's own text for it.

  /** Codes whose text is a sentence of its own, shown without the field's label. */
  const SENTENCES = {
    slot_full: 'visitSlotFull',
    slot_started: 'errSlotStarted',
    already_booked: 'errAlreadyBooked',
    already_signed_up: 'errAlreadySignedUp',
    already_checked_in: 'errAlreadyCheckedIn',
    volunteer_withdrawn: 'errVolunteerWithdrawn',
  };
  const FIELD_TEXTS = {
    required: 'errRequired',
    too_long: 'errTooLong',
    too_short: 'errTooShort',
    invalid_email: 'errInvalidEmail',
    invalid_phone: 'errInvalidPhone',
    invalid_characters: 'errInvalidCharacters',
    not_integer: 'errNotInteger',
    not_number: 'errNotInteger',
    invalid_enum: 'errInvalidChoice',
    invalid_uuid: 'errInvalidChoice',
    too_many: 'errTooMany',
    too_few: 'errTooFew',
    roles_overlap: 'errRolesOverlap',
    unknown_role: 'errUnknownRole',
    role_full: 'errRoleFull',
    party_too_large: 'errPartyTooLarge',
  };

  /** The page's text for one entry of the API's `errors` (without the field's label). */
  function errorText(entry) {
    const params = entry.params || {};
    if (SENTENCES[entry.code]) return texts[SENTENCES[entry.code]];
    if (entry.code === 'out_of_range')
      return params.max !== undefined
        ? fill(texts.errAtMost, params)
        : params.min !== undefined
          ? fill(texts.errAtLeast, params)
          : texts.errInvalid;
    if (FIELD_TEXTS[entry.code]) return fill(texts[FIELD_TEXTS[entry.code]], params);
    // A code this page has no text for: the API wrote it in the page's language (Accept-Language).
    return entry.message || texts.errInvalid;
  }

  /** The label a person sees for a field (without its "(required)" marker). */
  function labelOf(holder) {
    const label = holder.querySelector('legend, label');
    if (!label) return '';
    const copy = label.cloneNode(true);
    for (const marker of copy.querySelectorAll('.marker')) marker.remove();
    return copy.textContent.trim();
  }

  /** The API's `errors` as messages for showErrors: next to the field, named by its label; slots to offer when the party does not fit. */
  function fieldMessages(form, result) {
    const messages = [];
    for (const entry of result.errors) {
      const name = entry.field ? String(entry.field).split(/[.[]/)[0] : null;
      const holder = name ? form.querySelector('[data-field="' + CSS.escape(name) + '"]') : null;
      const text = errorText(entry);
      if (!holder) messages.push(entry.code === 'conflict' || entry.code === 'invalid' ? texts.genericError : text);
      else if (SENTENCES[entry.code]) messages.push({ field: name, text });
      else messages.push({ field: name, text: fill(texts.errField, { label: labelOf(holder), text }) });
      // No waiting list helps a party larger than the time; the times it fits in do.
      if (entry.code === 'party_too_large' && form.querySelector('[data-field="slotId"]')) {
        messages.push({
          field: 'slotId',
          text: result.fits.length > 0 ? texts.errPartyFits : texts.errPartyFitsNone,
          offers: result.fits,
        });
      }
    }
    return messages;
  }

  /** Buttons that choose one of the times a too large party fits in. */
  function slotOffers(offers) {
    const zone = body.dataset.timeZone;
    return element(
      'span',
      { className: 'offers' },
      offers.map((offer) => {
        const button = element('button', {
          type: 'button',
          className: 'secondary offer',
          'data-offer-slot': offer.slotId,
          text:
            range(zone, offer.startsAt, offer.endsAt, body.dataset.date) +
            ' (' +
            fill(texts.visitPlacesLeft, { n: offer.remaining }) +
            ')',
        });
        button.addEventListener('click', () => {
          const radio = document.getElementById('slot-' + offer.slotId);
          if (!radio) return;
          radio.checked = true;
          radio.focus();
        });
        return button;
      }),
    );
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
    const offers = new Map();
    for (const message of messages) {
      const name = typeof message === 'object' ? message.field : String(message).split(/[\s.]/)[0];
      const text = typeof message === 'object' ? message.text : String(message);
      const holder = name ? form.querySelector('[data-field="' + CSS.escape(name) + '"]') : null;
      if (holder && message.offers) offers.set(holder, message.offers);
      if (holder) byField.set(holder, (byField.get(holder) || []).filter((seen) => seen !== text).concat(text));
      else if (!general.includes(text)) general.push(text);
    }
    let first = null;
    for (const [holder, fieldMessages] of byField) {
      const error = holder.querySelector('.field-error');
      error.textContent = fieldMessages.join('; ');
      if (offers.get(holder) && offers.get(holder).length > 0) error.append(' ', slotOffers(offers.get(holder)));
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
        payload[control.name] =
          kind === 'int' && /^\s*-?\d+\s*$/.test(control.value) ? Number(control.value) : control.value;
      }
    }
    for (const [key, value] of Object.entries(payload))
      if (Array.isArray(value) && value.length === 0 && key === 'languages') delete payload[key];
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
      if (!result.ok) return showErrors(form, result.errors ? fieldMessages(form, result) : result.messages);
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
  // Only numbers and the zone's offset come from Intl (in 'en-US', which every ICU has); month names come
  // from the page's catalog, as a browser's ICU may lack them (Debian's Chromium writes "M02" in Azerbaijani).

  const monthNames = texts.monthNames.split('|');
  const partsFormats = new Map();

  /** { year, month, day, hour, minute, offset: "GMT+4" } of an instant in the zone. */
  function partsIn(zone, instant) {
    let format = partsFormats.get(zone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'shortOffset',
      });
      partsFormats.set(zone, format);
    }
    const parts = {};
    for (const part of format.formatToParts(new Date(instant))) parts[part.type] = part.value;
    return {
      year: Number(parts.year),
      month: Number(parts.month),
      day: Number(parts.day),
      hour: parts.hour,
      minute: parts.minute,
      offset: parts.timeZoneName,
    };
  }
  function dayMonth(month, day) {
    return fill(texts.dayMonth, { day, month: monthNames[month - 1] });
  }
  /** "(Asia/Baku, GMT+4)", as on the pages the server writes. */
  function zoneNote(zone, instant) {
    return '(' + zone + ', ' + partsIn(zone, instant).offset + ')';
  }
  /** "26 fevral, 12:00–12:30 (Asia/Baku, GMT+4)" */
  function range(zone, from, to) {
    const start = partsIn(zone, from);
    const end = partsIn(zone, to);
    return (
      dayMonth(start.month, start.day) +
      ', ' +
      start.hour +
      ':' +
      start.minute +
      '–' +
      end.hour +
      ':' +
      end.minute +
      ' ' +
      zoneNote(zone, from)
    );
  }
  /** A volunteer shift: local HH:mm times on the edition's date (YYYY-MM-DD) in its zone. */
  function shiftText(edition, start, end) {
    if (!edition) return start + '–' + end;
    const [, month, day] = edition.date.split('-').map(Number);
    // The offset at noon that day: shifts are daytime, and zones change offset at night.
    return (
      dayMonth(month, day) + ', ' + start + '–' + end + ' ' + zoneNote(edition.timeZone, edition.date + 'T12:00:00Z')
    );
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
      const hadFocus =
        document.activeElement && document.activeElement.name === 'slotId' ? document.activeElement.value : null;
      list.replaceChildren();
      if (slots.length === 0) list.append(element('p', { text: texts.visitNoSlots }));
      for (const slot of slots) {
        const id = 'slot-' + slot.id;
        const full = slot.remaining <= 0;
        const detail = full ? texts.visitFull : fill(texts.visitPlacesLeft, { n: slot.remaining });
        const input = element('input', {
          type: 'radio',
          id,
          name: 'slotId',
          value: slot.id,
          'data-kind': 'path',
          'data-remaining': slot.remaining,
          'data-when': range(zone, slot.startsAt, slot.endsAt),
        });
        if (slot.id === chosenId) input.checked = true;
        list.append(
          element('div', { className: 'check' }, [
            input,
            element('label', { for: id }, [
              element('span', { className: 'choice-label', text: range(zone, slot.startsAt, slot.endsAt) }),
              element('span', {
                className: 'choice-detail' + (full ? ' full' : ''),
                'data-slot-remaining': slot.id,
                text: detail,
              }),
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
      check() {
        const chosen = form.querySelector('input[name="slotId"]:checked');
        // Whether a time is full or the party too large for it is the API's answer (slot_full,
        // party_too_large): only it knows the cause, and the advice differs.
        return chosen ? [] : [{ field: 'slotId', text: texts.visitSlotRequired }];
      },
      path(template) {
        const slotId = form.querySelector('input[name="slotId"]:checked').value;
        return template.replace('{slotId}', encodeURIComponent(slotId));
      },
      done(data) {
        const chosen = form.querySelector('input[name="slotId"]:checked');
        document.getElementById('visit-result-when').textContent = texts.bookingTime + ': ' + chosen.dataset.when;
        form.hidden = true;
        const waitlisted = data.status === 'waitlisted';
        document.getElementById('visit-result-title').textContent = waitlisted
          ? texts.visitWaitlistedTitle
          : texts.visitConfirmedTitle;
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
    const edition = { date: body.dataset.date, timeZone: body.dataset.timeZone };
    const list = document.getElementById('f-roleIds-list');

    async function loadRoles() {
      // Role names and descriptions in the page's language.
      const result = await api(
        'GET',
        '/ceremonies/' + encodeURIComponent(ceremonyId) + '/volunteer-roles?lang=' + encodeURIComponent(locale),
      );
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
              element('span', {
                className: 'choice-detail',
                text: fill(texts.volunteerShift, { when: shiftText(edition, role.shiftStart, role.shiftEnd) }),
              }),
              role.description ? element('span', { className: 'choice-detail', text: role.description }) : null,
              element('span', {
                className: 'choice-detail' + (full ? ' full' : ''),
                text: full ? texts.volunteerRoleFull : fill(texts.volunteerRoleLeft, { n: role.remaining }),
              }),
            ]),
          ]),
        );
      }
    }

    void loadRoles();
    wireForm(form, {
      check(payload) {
        return payload.roleIds && payload.roleIds.length > 0
          ? []
          : [{ field: 'roleIds', text: texts.volunteerRoleRequired }];
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
      rows
        .filter(Boolean)
        .map(([term, value]) => element('div', {}, [element('dt', { text: term }), element('dd', { text: value })])),
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
    const statusLabel = {
      confirmed: texts.bookingStatusConfirmed,
      waitlisted: texts.bookingStatusWaitlisted,
      cancelled: texts.bookingStatusCancelled,
    };
    function render(booking) {
      const zone = booking.ceremony.timeZone;
      const children = [
        facts([
          [texts.bookingStatus, statusLabel[booking.status] || booking.status],
          [texts.fieldName, booking.name],
          [texts.bookingTime, range(zone, booking.slot.startsAt, booking.slot.endsAt)],
          [texts.bookingPlace, booking.ceremony.venueName + ', ' + booking.ceremony.venueAddress],
          [texts.fieldPartySize, String(booking.partySize)],
          booking.groupName ? [texts.fieldGroupName, booking.groupName] : null,
          booking.checkedIn ? [texts.bookingCheckedIn, texts.yes] : null,
        ]),
      ];
      if (booking.checkInQr && !booking.checkedIn) {
        children.push(
          element('figure', { className: 'check-in-qr' }, [
            element('img', {
              id: 'check-in-qr',
              src: booking.checkInQr,
              alt: texts.bookingCheckInQr,
              width: '174',
              height: '174',
            }),
            element('figcaption', { text: texts.bookingCheckInQr }),
          ]),
        );
      }
      // The holder's copy of everything stored about the booking (GET /bookings/manage/:token/export).
      children.push(
        element('p', {}, [
          element('a', {
            id: 'download-booking',
            href: '/bookings/manage/' + encodeURIComponent(token) + '/export',
            download: 'booking.json',
            text: texts.bookingDownload,
          }),
        ]),
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
        children.push(
          element('p', { text: texts.bookingCancelHint }),
          element('div', { className: 'actions' }, [cancel]),
        );
      }
      record.replaceChildren(element('h2', { text: booking.ceremony.title }), ...children);
      const notice = record.querySelector('.notice');
      if (notice) notice.tabIndex = -1;
    }
    if (!token) return fail([], 404);
    void api('GET', '/bookings/manage/' + encodeURIComponent(token)).then((result) =>
      result.ok ? render(result.data) : fail(result.messages, result.status),
    );
  }

  /** The edition (its date and time zone) that a volunteer's shifts are on; null when it cannot be read. */
  async function editionOf(ceremonyId) {
    const result = await api(
      'GET',
      '/ceremonies/' + encodeURIComponent(ceremonyId) + '?lang=' + encodeURIComponent(locale),
    );
    return result.ok ? result.data : null;
  }

  function rolesList(roles, edition) {
    const stateLabel = (role) =>
      role.state === 'assigned'
        ? texts.meRoleAssigned
        : role.state === 'waitlisted'
          ? fill(texts.meRoleWaitlisted, { n: role.waitlistRank || '' })
          : texts.meRoleRequested;
    return element(
      'ul',
      { className: 'roles' },
      roles.map((role) =>
        element('li', {
          text: role.name + ', ' + shiftText(edition, role.shiftStart, role.shiftEnd) + ': ' + stateLabel(role),
        }),
      ),
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
      const roles = element('div', {}, [rolesList(data.roles || [], null)]);
      record.replaceChildren(
        heading,
        element('h3', { text: texts.fieldRoles }),
        roles,
        element('p', {}, [
          element('a', {
            href: pageLink('/p/volunteer/me', data.manageToken || token),
            text: texts.volunteerManageLink,
          }),
        ]),
      );
      // The shifts' date once the edition is read (the times alone until then).
      void editionOf(data.ceremonyId).then(
        (edition) => edition && roles.replaceChildren(rolesList(data.roles || [], edition)),
      );
      return heading;
    });
  }

  /** A labelled control in the markup the server pages use, so showErrors finds its error line. */
  function meField(name, label, control) {
    control.id = 'me-' + name;
    control.name = name;
    control.setAttribute('aria-describedby', 'me-' + name + '-error');
    const isCheck = control.type === 'checkbox';
    const labelNode = element('label', { for: control.id, text: label });
    return element('div', { className: 'field' + (isCheck ? ' check' : ''), 'data-field': name }, [
      isCheck ? control : labelNode,
      isCheck ? labelNode : control,
      element('p', { className: 'field-error', id: 'me-' + name + '-error', hidden: true }),
    ]);
  }

  function meChoices(name, legend, choices) {
    return element(
      'fieldset',
      { className: 'field choices', 'data-field': name, 'aria-describedby': 'me-' + name + '-error' },
      [
        element('legend', { text: legend }),
        element('div', { className: 'choice-list' }, choices),
        element('p', { className: 'field-error', id: 'me-' + name + '-error', hidden: true }),
      ],
    );
  }

  function meChoice(name, value, checked, labelChildren, lang) {
    const id = 'me-' + name + '-' + value;
    return element('div', { className: 'check' }, [
      element('input', { type: 'checkbox', id, name, value, 'data-kind': 'array', checked }),
      element('label', { for: id, lang }, labelChildren),
    ]);
  }

  /** The API's messages next to the field they start with ("roleIds: ...", "phone must be ..."). */
  function byField(form, messages) {
    return messages.map((message) => {
      const name = (/^(\w+)/.exec(String(message)) || [])[1];
      return name && form.querySelector('[data-field="' + name + '"]')
        ? { field: name, text: String(message) }
        : message;
    });
  }

  function volunteerManagePage() {
    const statusLabel = {
      pending: texts.meStatusPending,
      confirmed: texts.meStatusConfirmed,
      withdrawn: texts.meStatusWithdrawn,
    };
    const headers = { 'X-Manage-Token': token || '' };
    let edition = null;
    let roles = [];

    /** The sign-up's roles, phone, languages, note and consent, changed through PATCH /volunteers/me. */
    function changeForm(volunteer) {
      const chosen = new Set((volunteer.roles || []).map((role) => role.roleId));
      const spoken = new Set(volunteer.languages || []);
      const roleChoices = roles.map((role) =>
        meChoice('roleIds', role.id, chosen.has(role.id), [
          element('span', { className: 'choice-label', text: role.name }),
          element('span', {
            className: 'choice-detail',
            text: fill(texts.volunteerShift, { when: shiftText(edition, role.shiftStart, role.shiftEnd) }),
          }),
          chosen.has(role.id)
            ? null
            : element('span', {
                className: 'choice-detail' + (role.remaining <= 0 ? ' full' : ''),
                text:
                  role.remaining <= 0 ? texts.volunteerRoleFull : fill(texts.volunteerRoleLeft, { n: role.remaining }),
              }),
        ]),
      );
      // "az:Azərbaycanca|en:English|...": each language in its own name, as on the sign-up page.
      const languageChoices = (body.dataset.languages || '')
        .split('|')
        .filter(Boolean)
        .map((entry) => {
          const [code, name] = entry.split(':');
          return meChoice('languages', code, spoken.has(code), [element('span', { text: name })], code);
        });
      const phone = element('input', { type: 'tel', autocomplete: 'tel' });
      phone.value = volunteer.phone || '';
      const note = element('textarea', { rows: '3' });
      note.value = volunteer.note || '';
      const consent = element('input', { type: 'checkbox', 'data-kind': 'bool', checked: volunteer.consentReminders });
      const form = element('form', { id: 'me-form', className: 'api-form', novalidate: true }, [
        element('p', { className: 'form-error', role: 'alert', hidden: true }),
        meChoices('roleIds', texts.fieldRoles, roleChoices),
        meField('phone', texts.fieldPhone, phone),
        meChoices('languages', texts.fieldLanguages, languageChoices),
        meField('note', texts.fieldNote, note),
        meField('consentReminders', texts.fieldConsent, consent),
        element('button', { type: 'submit', text: texts.meSave }),
      ]);
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearErrors(form);
        const payload = formPayload(form);
        // Unticked and emptied mean "none" here, not "unchanged".
        payload.roleIds = payload.roleIds || [];
        payload.languages = payload.languages || [];
        if (payload.phone === undefined) payload.phone = null;
        if (payload.note === undefined) payload.note = null;
        if (payload.roleIds.length === 0)
          return showErrors(form, [{ field: 'roleIds', text: texts.volunteerRoleRequired }]);
        const picked = roles
          .filter((role) => payload.roleIds.includes(role.id))
          .sort((a, b) => (a.shiftStart < b.shiftStart ? -1 : 1));
        for (let index = 1; index < picked.length; index += 1) {
          const clash = picked.slice(0, index).find((earlier) => earlier.shiftEnd > picked[index].shiftStart);
          // Said in the page language; the API checks the same rule again.
          if (clash)
            return showErrors(form, [
              { field: 'roleIds', text: fill(texts.meShiftsOverlap, { a: clash.name, b: picked[index].name }) },
            ]);
        }
        const button = form.querySelector('button[type="submit"]');
        button.disabled = true;
        button.textContent = texts.sending;
        const result = await api('PATCH', '/volunteers/me', payload, headers);
        button.disabled = false;
        button.textContent = texts.meSave;
        if (!result.ok) return showErrors(form, byField(form, result.messages));
        await loadRoles();
        render(result.data, true);
      });
      return form;
    }

    function render(volunteer, saved) {
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
          const done = element('p', {
            className: 'notice',
            role: 'status',
            tabindex: '-1',
            text: texts.meWithdrawnText,
          });
          record.replaceChildren(done);
          done.focus();
        }),
      );
      const notice = saved
        ? element('p', { className: 'notice', id: 'me-saved', role: 'status', tabindex: '-1', text: texts.meSaved })
        : null;
      record.replaceChildren(
        ...[
          notice,
          facts([
            [texts.meStatus, statusLabel[volunteer.status] || volunteer.status],
            [texts.fieldName, volunteer.name || ''],
            [texts.fieldEmail, volunteer.email || ''],
            volunteer.phone ? [texts.fieldPhone, volunteer.phone] : null,
            [texts.fieldConsent, volunteer.consentReminders ? texts.yes : texts.no],
          ]),
          element('h2', { text: texts.fieldRoles }),
          rolesList(volunteer.roles || [], edition),
          volunteer.status === 'withdrawn' ? null : element('h2', { text: texts.meEditHeading }),
          volunteer.status === 'withdrawn' ? null : element('p', { text: texts.meEditIntro }),
          volunteer.status === 'withdrawn' ? null : changeForm(volunteer),
          element('div', { className: 'actions' }, [exportButton]),
          element('p', { text: texts.meWithdrawHint }),
          element('div', { className: 'actions' }, [withdraw]),
        ].filter(Boolean),
      );
      if (notice) notice.focus();
    }

    async function loadRoles() {
      if (!edition) return;
      const result = await api(
        'GET',
        '/ceremonies/' + encodeURIComponent(edition.id) + '/volunteer-roles?lang=' + encodeURIComponent(locale),
      );
      if (result.ok) roles = Array.isArray(result.data) ? result.data : result.data.items || [];
    }

    if (!token) return fail([], 404);
    void api('GET', '/volunteers/me', undefined, headers).then(async (result) => {
      if (!result.ok) return fail(result.messages, result.status);
      edition = await editionOf(result.data.ceremonyId);
      await loadRoles();
      render(result.data, false);
    });
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
