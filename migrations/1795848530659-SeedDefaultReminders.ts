import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The default anniversary reminders, seeded once per database (on first start): 30, 7 and 1 days
 * before the edition's date at 10:00 local time, to subscribers, volunteers and visitors, with
 * sober texts in az, en and ru. Administrators change them through /reminder-rules.
 */
const WHEN = {
  30: { en: 'In one month', az: 'Bir aydan sonra', ru: 'Через месяц' },
  7: { en: 'In one week', az: 'Bir həftədən sonra', ru: 'Через неделю' },
  1: { en: 'Tomorrow', az: 'Sabah', ru: 'Завтра' },
} as const;

function content(days: 30 | 7 | 1) {
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

const RULES = [
  { name: 'One month before', offsetDays: 30, key: 'reminder-30-days' },
  { name: 'One week before', offsetDays: 7, key: 'reminder-7-days' },
  { name: 'One day before', offsetDays: 1, key: 'reminder-1-day' },
] as const;

export class SeedDefaultReminders1795848530659 implements MigrationInterface {
  name = 'SeedDefaultReminders1795848530659';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const rule of RULES) {
      // ON CONFLICT DO NOTHING: re-running keeps templates an administrator already edited.
      await queryRunner.query('INSERT INTO reminder_templates (key, content) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [rule.key, JSON.stringify(content(rule.offsetDays))]);
      await queryRunner.query(
        "INSERT INTO reminder_rules (name, offset_days, send_time, audience, template_key, enabled) VALUES ($1, $2, '10:00', 'all', $3, true)",
        [rule.name, rule.offsetDays, rule.key],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM reminder_rules WHERE template_key = ANY($1)', [RULES.map((rule) => rule.key)]);
    await queryRunner.query('DELETE FROM reminder_templates WHERE key = ANY($1)', [RULES.map((rule) => rule.key)]);
  }
}
