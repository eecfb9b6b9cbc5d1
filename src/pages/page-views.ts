import type { Locale } from '../config/commemoration.config';
import { LOCALES } from '../config/commemoration.config';
import { Html, html, pageUrl } from './page-layout';
import { PAGE_TEXTS, PageTexts } from './texts';

export interface CeremonySummary {
  id: string;
  title: string;
  when: string;
  venueName: string;
  venueAddress: string;
  description: string | null;
  timeZone: string;
  date: string;
}

export interface ProgramLine {
  startTime: string;
  endTime: string | null;
  title: string;
  speaker: string | null;
  description: string | null;
}

interface FieldOptions {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'tel' | 'number';
  required?: boolean;
  autocomplete?: string;
  /** How the page script turns the value into JSON. */
  kind?: 'int';
  extra?: string;
}

/** A labelled input with its error line; the script fills the error from the API's message. */
function field(texts: PageTexts, options: FieldOptions): Html {
  const id = `f-${options.name}`;
  const marker = options.required ? texts.required : texts.optional;
  const attributes = [
    options.required ? 'required' : '',
    options.autocomplete ? `autocomplete="${options.autocomplete}"` : '',
    options.kind ? `data-kind="${options.kind}"` : '',
    options.extra ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  return html`<div class="field" data-field="${options.name}">
<label for="${id}">${options.label} <span class="marker">(${marker})</span></label>
<input id="${id}" name="${options.name}" type="${options.type ?? 'text'}" aria-describedby="${id}-error" ${new Html(attributes)}>
<p class="field-error" id="${id}-error" hidden></p>
</div>
`;
}

function textarea(texts: PageTexts, name: string, label: string): Html {
  const id = `f-${name}`;
  return html`<div class="field" data-field="${name}">
<label for="${id}">${label} <span class="marker">(${texts.optional})</span></label>
<textarea id="${id}" name="${name}" rows="3" aria-describedby="${id}-error"></textarea>
<p class="field-error" id="${id}-error" hidden></p>
</div>
`;
}

function checkbox(name: string, label: string, kind: 'bool', checked = false): Html {
  const id = `f-${name}`;
  return html`<div class="field check" data-field="${name}">
<input id="${id}" name="${name}" type="checkbox" data-kind="${kind}" aria-describedby="${id}-error"${new Html(checked ? ' checked' : '')}>
<label for="${id}">${label}</label>
<p class="field-error" id="${id}-error" hidden></p>
</div>
`;
}

/** A group of radios or checkboxes filled by the script (slots, roles) or given here (languages). */
function choiceGroup(name: string, legend: string, marker: string, inner: Html, extraClass = ''): Html {
  const id = `f-${name}`;
  return html`<fieldset class="field choices ${extraClass}" data-field="${name}" aria-describedby="${id}-error">
<legend>${legend} <span class="marker">(${marker})</span></legend>
<div class="choice-list" id="${id}-list">${inner}</div>
<p class="field-error" id="${id}-error" hidden></p>
</fieldset>
`;
}

function formShell(id: string, api: string, submit: string, texts: PageTexts, inner: Html): Html {
  return html`<form id="${id}" class="api-form" data-api="${api}" novalidate>
<p class="form-error" role="alert" hidden></p>
${inner}
<button type="submit">${submit}</button>
</form>
<noscript><p class="notice">${texts.noScript}</p></noscript>
`;
}

function ceremonyHeader(ceremony: CeremonySummary, texts: PageTexts): Html {
  return html`<dl class="facts">
<div><dt>${texts.ceremonyWhen}</dt><dd>${ceremony.when}</dd></div>
<div><dt>${texts.ceremonyWhere}</dt><dd>${ceremony.venueName}<br>${ceremony.venueAddress}</dd></div>
</dl>
`;
}

export function noCeremonyBody(texts: PageTexts): Html {
  return html`<p class="notice">${texts.noCeremony}</p>`;
}

export function ceremonyBody(
  ceremony: CeremonySummary,
  program: ProgramLine[],
  texts: PageTexts,
  locale: Locale,
): Html {
  const items = program.map(
    (item) => html`<li>
<p class="program-time">${item.endTime ? `${item.startTime}–${item.endTime}` : item.startTime}</p>
<div><p class="program-title">${item.title}</p>${item.speaker ? html`<p class="program-speaker">${item.speaker}</p>` : ''}${
      item.description ? html`<p class="program-description">${item.description}</p>` : ''
    }</div>
</li>`,
  );
  const subscribe = formShell(
    'subscribe-form',
    'POST /subscriptions',
    texts.subscribeSubmit,
    texts,
    html`${field(texts, { name: 'email', label: texts.fieldEmail, type: 'email', required: true, autocomplete: 'email' })}
${field(texts, { name: 'name', label: texts.fieldName, autocomplete: 'name' })}
<input type="hidden" name="locale" value="${locale}">`,
  );
  return html`${ceremonyHeader(ceremony, texts)}
${ceremony.description ? html`<p class="description">${ceremony.description}</p>` : ''}
<section aria-labelledby="program-heading">
<h2 id="program-heading">${texts.programHeading}</h2>
${items.length > 0 ? html`<ol class="program">${items}</ol>` : html`<p>${texts.noProgram}</p>`}
<p><a href="/ceremonies/${ceremony.id}/calendar.ics?lang=${locale}">${texts.calendarLink}</a></p>
</section>
<section aria-labelledby="visit-heading">
<h2 id="visit-heading">${texts.visitTitle}</h2>
<p>${texts.visitInvite}</p>
<p><a class="button-link" href="${pageUrl('visit', locale)}">${texts.navVisit}</a></p>
</section>
<section aria-labelledby="volunteer-heading">
<h2 id="volunteer-heading">${texts.volunteerTitle}</h2>
<p>${texts.volunteerInvite}</p>
<p><a class="button-link" href="${pageUrl('volunteer', locale)}">${texts.navVolunteer}</a></p>
</section>
<section aria-labelledby="subscribe-heading">
<h2 id="subscribe-heading">${texts.subscribeHeading}</h2>
<p>${texts.subscribeIntro}</p>
${subscribe}
<div class="result" id="subscribe-result" hidden tabindex="-1"><h3>${texts.subscribeSentTitle}</h3><p>${texts.subscribeSentText}</p></div>
</section>
`;
}

export function visitBody(ceremony: CeremonySummary, texts: PageTexts, locale: Locale): Html {
  const form = formShell(
    'visit-form',
    'POST /visit-slots/{slotId}/bookings',
    texts.visitSubmit,
    texts,
    html`${choiceGroup('slotId', texts.visitSlots, texts.required, html`<p class="loading">${texts.loading}</p>`)}
<p class="hint" id="slots-live">${texts.visitSlotsLive}</p>
${field(texts, { name: 'name', label: texts.fieldName, required: true, autocomplete: 'name' })}
${field(texts, { name: 'email', label: texts.fieldEmail, type: 'email', required: true, autocomplete: 'email' })}
${field(texts, { name: 'partySize', label: texts.fieldPartySize, type: 'number', required: true, kind: 'int', extra: 'min="1" value="1" inputmode="numeric"' })}
${field(texts, { name: 'phone', label: texts.fieldPhone, type: 'tel', autocomplete: 'tel' })}
${field(texts, { name: 'groupName', label: texts.fieldGroupName, autocomplete: 'organization' })}
${checkbox('waitlist', texts.waitlistLabel, 'bool')}
<input type="hidden" name="locale" value="${locale}">`,
  );
  return html`<p class="context">${ceremony.title}</p>
${ceremonyHeader(ceremony, texts)}
<p>${texts.visitIntro}</p>
${form}
<div class="result" id="visit-result" hidden tabindex="-1">
<h2 id="visit-result-title"></h2>
<p id="visit-result-when"></p>
<p id="visit-result-text"></p>
<p>${texts.visitMailSent}</p>
<p><a id="visit-manage-link" href="#">${texts.visitManageLink}</a></p>
</div>
`;
}

export function volunteerBody(ceremony: CeremonySummary, texts: PageTexts, locale: Locale): Html {
  const languages = LOCALES.map(
    (code) =>
      html`<div class="check"><input id="f-languages-${code}" type="checkbox" name="languages" value="${code}" data-kind="array"><label for="f-languages-${code}" lang="${code}">${PAGE_TEXTS[code].languageName}</label></div>`,
  );
  const form = formShell(
    'volunteer-form',
    'POST /volunteers',
    texts.volunteerSubmit,
    texts,
    html`${choiceGroup('roleIds', texts.fieldRoles, texts.required, html`<p class="loading">${texts.loading}</p>`)}
${field(texts, { name: 'name', label: texts.fieldName, required: true, autocomplete: 'name' })}
${field(texts, { name: 'email', label: texts.fieldEmail, type: 'email', required: true, autocomplete: 'email' })}
${field(texts, { name: 'phone', label: texts.fieldPhone, type: 'tel', autocomplete: 'tel' })}
${choiceGroup('languages', texts.fieldLanguages, texts.optional, html`${languages}`)}
${textarea(texts, 'note', texts.fieldNote)}
${checkbox('consentReminders', texts.fieldConsent, 'bool')}
<input type="hidden" name="ceremonyId" value="${ceremony.id}">
<input type="hidden" name="locale" value="${locale}">`,
  );
  return html`<p class="context">${ceremony.title}</p>
${ceremonyHeader(ceremony, texts)}
<p>${texts.volunteerIntro}</p>
${form}
<div class="result" id="volunteer-result" hidden tabindex="-1">
<h2>${texts.volunteerSentTitle}</h2>
<p>${texts.volunteerSentText}</p>
</div>
`;
}

/** Pages behind a private link: the script reads the token from the address and talks to the API. */
export function tokenPageBody(texts: PageTexts, intro: string | null, button: string | null): Html {
  return html`${intro ? html`<p id="intro">${intro}</p>` : ''}
<p class="form-error" role="alert" hidden></p>
<div id="record" aria-live="polite"><p class="loading" ${new Html(button ? 'hidden' : '')}>${texts.loading}</p></div>
${button ? html`<button type="button" id="action" hidden>${button}</button>` : ''}
<noscript><p class="notice">${texts.noScript}</p></noscript>
`;
}
