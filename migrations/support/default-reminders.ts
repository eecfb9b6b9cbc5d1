/**
 * The default reminder templates as first seeded. Shared by the seed migration and the one that
 * adds their HTML part (which recognises unchanged defaults by them); kept outside the migration
 * glob so TypeORM does not load these exports as migrations. Never edit: write a new migration.
 */
const WHEN = {
  30: { en: 'In one month', az: 'Bir aydan sonra', ru: 'Через месяц' },
  7: { en: 'In one week', az: 'Bir həftədən sonra', ru: 'Через неделю' },
  1: { en: 'Tomorrow', az: 'Sabah', ru: 'Завтра' },
} as const;

export function content(days: 30 | 7 | 1) {
  const when = WHEN[days];
  return {
    en: {
      subject: '{{commemorationName}}: remembrance ceremony on {{ceremonyDate}}',
      text: [
        `${when.en}, on {{ceremonyDate}}, we will gather to observe {{commemorationName}} and to remember the victims.`,
        '',
        'Ceremony: {{ceremonyTitle}}',
        'Date: {{ceremonyDate}}',
        'Start: {{ceremonyStartTime}}',
        'Place: {{venue}}',
        '',
        'If you plan to visit the memorial with a group, you can book a time for your visit in advance.',
        '',
        'You receive this message because you asked to be reminded of the day of remembrance, signed up as a volunteer or booked a visit.',
        'To stop receiving reminders: {{unsubscribeUrl}}',
      ].join('\n'),
    },
    az: {
      subject: '{{commemorationName}}: {{ceremonyDate}} tarixində anım mərasimi',
      text: [
        `${when.az}, {{ceremonyDate}} tarixində {{commemorationName}} münasibətilə qurbanların xatirəsini anmaq üçün bir araya gələcəyik.`,
        '',
        'Mərasim: {{ceremonyTitle}}',
        'Tarix: {{ceremonyDate}}',
        'Başlanğıc: {{ceremonyStartTime}}',
        'Yer: {{venue}}',
        '',
        'Memorialı qrupla ziyarət etmək istəyirsinizsə, ziyarət vaxtını əvvəlcədən sifariş edə bilərsiniz.',
        '',
        'Bu məktubu anım gününü xatırlatmağı xahiş etdiyiniz, könüllü kimi qeydiyyatdan keçdiyiniz və ya ziyarət sifariş etdiyiniz üçün alırsınız.',
        'Xatırlatmaları almaq istəmirsinizsə: {{unsubscribeUrl}}',
      ].join('\n'),
    },
    ru: {
      subject: '{{commemorationName}}: траурная церемония {{ceremonyDate}}',
      text: [
        `${when.ru}, {{ceremonyDate}}, — {{commemorationName}}. Мы соберёмся, чтобы почтить память погибших.`,
        '',
        'Церемония: {{ceremonyTitle}}',
        'Дата: {{ceremonyDate}}',
        'Начало: {{ceremonyStartTime}}',
        'Место: {{venue}}',
        '',
        'Если вы планируете посетить мемориал с группой, вы можете заранее забронировать время посещения.',
        '',
        'Вы получили это письмо, потому что просили напомнить о дне памяти, зарегистрировались волонтёром или забронировали посещение.',
        'Чтобы больше не получать напоминания: {{unsubscribeUrl}}',
      ].join('\n'),
    },
  };
}

export const RULES = [
  { name: 'One month before', offsetDays: 30, key: 'reminder-30-days' },
  { name: 'One week before', offsetDays: 7, key: 'reminder-7-days' },
  { name: 'One day before', offsetDays: 1, key: 'reminder-1-day' },
] as const;

type Localized = Record<'az' | 'en' | 'ru', { subject: string; text: string; html?: string }>;

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

/**
 * The HTML part of a default reminder: the same words as its text, one paragraph per block, the
 * unsubscribe address as a link. Frozen here (not shared with src/) so the migration that adds it always
 * recognises and writes the same content; Handlebars escapes the values when it renders.
 */
function htmlOf(locale: string, text: string): string {
  const paragraphs = text.split('\n\n').map((block) =>
    block
      .split('\n')
      .map((line) =>
        escapeHtml(line).replace('{{unsubscribeUrl}}', '<a href="{{unsubscribeUrl}}">{{unsubscribeUrl}}</a>'),
      )
      .join('<br>\n'),
  );
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:sans-serif;color:#333333;line-height:1.5">
${paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('\n')}
</body>
</html>
`;
}

export function withHtml(content: Localized): Localized {
  const out = {} as Localized;
  for (const locale of ['az', 'en', 'ru'] as const)
    out[locale] = { ...content[locale], html: htmlOf(locale, content[locale].text) };
  return out;
}
