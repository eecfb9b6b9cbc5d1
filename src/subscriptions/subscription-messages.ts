import type { Locale } from '../config/commemoration.config';

/** The double opt-in email, in the subscriber's language. Sober wording: it is a day of mourning. */
export function confirmationMessage(locale: Locale, commemorationName: string, link: string, expiryHours: number): { subject: string; text: string } {
  switch (locale) {
    case 'az':
      return {
        subject: `${commemorationName}: abunəliyi təsdiq edin`,
        text: `Salam,\n\nHər il ${commemorationName} ərəfəsində xatırlatma almaq üçün bu ünvan göstərilib. Təsdiq etmək üçün keçid:\n\n${link}\n\nKeçid ${expiryHours} saat ərzində qüvvədədir. Bu müraciəti siz etməmisinizsə, məktubu nəzərə almayın: heç bir məktub göndərilməyəcək.\n`,
      };
    case 'ru':
      return {
        subject: `${commemorationName}: подтвердите подписку`,
        text: `Здравствуйте,\n\nЭтот адрес был указан, чтобы ежегодно получать напоминание о дне «${commemorationName}». Чтобы подтвердить подписку, откройте ссылку:\n\n${link}\n\nСсылка действует ${expiryHours} ч. Если вы не подписывались, просто проигнорируйте это письмо: больше писем не будет.\n`,
      };
    default:
      return {
        subject: `${commemorationName}: please confirm your subscription`,
        text: `Hello,\n\nThis address was given to receive a reminder before ${commemorationName} every year. To confirm, open this link:\n\n${link}\n\nThe link is valid for ${expiryHours} hours. If you did not ask for this, please ignore this message; nothing more will be sent.\n`,
      };
  }
}
