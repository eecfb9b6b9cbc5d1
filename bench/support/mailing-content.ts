/** The mailing both the app and the nodemailer baseline send: three languages, text and HTML. */
export const MAILING_CONTENT = {
  az: {
    subject: 'Xocalı soyqırımı qurbanlarının xatirə günü',
    text: 'Hörmətli {{name}},\n\n26 fevral saat 10:00-da Xocalı soyqırımı qurbanlarının xatirəsini birlikdə yad edəcəyik. Mərasim Xətai rayonundakı Xocalı soyqırımı abidəsinin önündə keçiriləcək.\n\nHörmətlə,\ntəşkilatçılar\n\nBu məktubları almaq istəmirsinizsə: {{unsubscribeUrl}}\n',
    html: '<p>Hörmətli {{name}},</p><p>26 fevral saat 10:00-da Xocalı soyqırımı qurbanlarının xatirəsini birlikdə yad edəcəyik. Mərasim Xətai rayonundakı Xocalı soyqırımı abidəsinin önündə keçiriləcək.</p><p>Hörmətlə,<br>təşkilatçılar</p><p><a href="{{unsubscribeUrl}}">Abunəlikdən çıxmaq</a></p>',
  },
  en: {
    subject: 'Khojaly Remembrance Day',
    text: 'Dear {{name}},\n\nOn 26 February at 10:00 we remember together the victims of the Khojaly genocide. The ceremony takes place at the Khojaly Genocide Memorial in the Khatai district.\n\nWith respect,\nthe organizers\n\nTo receive no more of these messages: {{unsubscribeUrl}}\n',
    html: '<p>Dear {{name}},</p><p>On 26 February at 10:00 we remember together the victims of the Khojaly genocide. The ceremony takes place at the Khojaly Genocide Memorial in the Khatai district.</p><p>With respect,<br>the organizers</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
  },
  ru: {
    subject: 'День памяти жертв Ходжалинского геноцида',
    text: 'Уважаемый(ая) {{name}},\n\n26 февраля в 10:00 мы вместе почтим память жертв Ходжалинского геноцида. Церемония пройдёт у мемориала жертвам Ходжалинского геноцида в Хатаинском районе.\n\nС уважением,\nорганизаторы\n\nЧтобы больше не получать эти письма: {{unsubscribeUrl}}\n',
    html: '<p>Уважаемый(ая) {{name}},</p><p>26 февраля в 10:00 мы вместе почтим память жертв Ходжалинского геноцида. Церемония пройдёт у мемориала жертвам Ходжалинского геноцида в Хатаинском районе.</p><p>С уважением,<br>организаторы</p><p><a href="{{unsubscribeUrl}}">Отписаться</a></p>',
  },
} as const;

export const LOCALES = ['az', 'en', 'ru'] as const;

/** The n-th recipient, the same in the database seed (SQL) and the baseline. */
export const recipient = (n: number) => ({
  email: `subscriber-${n}@bench.example.org`,
  name: `Subscriber ${n}`,
  locale: LOCALES[n % 3],
});
