import { localToInstant } from '../ceremonies/ceremony-time';
import type { Locale } from '../config/commemoration.config';
import type { Translations } from '../common/localized-text';
import { formatDate, formatDateTime, formatTime } from '../common/i18n';
import { withLang } from '../common/page-link';
import { mailHtml, mailText, paragraphsOf } from '../common/mail-html';

export type VolunteerMailKind = 'confirm-request' | 'confirmed' | 'waitlisted' | 'promoted' | 'withdrawn';

export interface MailEdition {
  title: string;
  date: string;
  timeZone: string;
}

export interface MailShift {
  /** The role's name in the recipient's language (VolunteerMailer resolves it from `translations`). */
  name: string;
  translations?: Translations;
  shiftStart: string;
  shiftEnd: string;
}

export interface VolunteerMailContext {
  kind: VolunteerMailKind;
  locale: Locale;
  name: string;
  edition: MailEdition;
  /** confirm-request: the roles asked for; confirmed: places held; promoted: the new place. */
  assigned: MailShift[];
  waitlisted: MailShift[];
  /** confirm-request: the confirmation link; confirmed/waitlisted: the private manage link. */
  link?: string;
  /** confirm-request: until when the link works. */
  expiresAt?: Date;
  /** confirm-request: the details this link confirms, so the owner of the address sees what they agree to. */
  details?: { phone: string | null; consentReminders: boolean };
}

/** "Carnations: 26 February 2027, 09:00 (Asia/Baku, GMT+4) – 12:00" */
export function describeShift(shift: MailShift, edition: MailEdition, locale: Locale): string {
  const start = localToInstant(edition.date, shift.shiftStart, edition.timeZone);
  const end = localToInstant(edition.date, shift.shiftEnd, edition.timeZone);
  return `${shift.name}: ${formatDateTime(start, edition.timeZone, locale)} – ${formatTime(end, edition.timeZone)}`;
}

interface Texts {
  greeting: (name: string) => string;
  subject: Record<VolunteerMailKind, (title: string) => string>;
  thanksForOffer: (title: string, date: string) => string;
  requested: string;
  confirmBelow: string;
  nothingReserved: (expires: string) => string;
  notYou: string;
  detailsGiven: string;
  nameLine: (name: string) => string;
  phoneLine: (phone: string) => string;
  reminders: (consent: boolean) => string;
  onlyThese: string;
  confirmedIntro: string;
  placesHeld: string;
  onWaitlist: string;
  allWaitlisted: string;
  toldWhenFree: string;
  manageBelow: string;
  promotedIntro: string;
  promotedWithdraw: string;
  withdrawnBody: string;
  thanks: string;
  withdrawnThanks: string;
}

const TEXTS: Record<Locale, Texts> = {
  en: {
    greeting: (name) => `Dear ${name},`,
    subject: {
      'confirm-request': (title) => `Please confirm your volunteer sign-up – ${title}`,
      confirmed: (title) => `Your volunteer sign-up is confirmed – ${title}`,
      waitlisted: (title) => `You are on the volunteer waiting list – ${title}`,
      promoted: (title) => `A volunteer place is now yours – ${title}`,
      withdrawn: (title) => `Your volunteer sign-up has been withdrawn – ${title}`,
    },
    thanksForOffer: (title, date) => `Thank you for offering to volunteer at ${title} on ${date}.`,
    requested: 'You asked for these roles:',
    confirmBelow: 'Please confirm your sign-up with this link:',
    nothingReserved: (expires) => `No place is reserved until you confirm. The link works until ${expires}.`,
    notYou: 'If you did not sign up, please ignore this message; the request will be deleted.',
    detailsGiven: 'The details given with this request:',
    nameLine: (name) => `- Name: ${name}`,
    phoneLine: (phone) => `- Phone: ${phone}`,
    reminders: (consent) => `- Reminder emails: ${consent ? 'yes' : 'no'}`,
    onlyThese: 'This link confirms exactly these details and roles.',
    confirmedIntro: 'Your sign-up is confirmed.',
    placesHeld: 'Your places:',
    onWaitlist: 'On the waiting list (these roles are full at the moment):',
    allWaitlisted:
      'Your sign-up is confirmed. The roles you chose are full at the moment, so you are on the waiting list for:',
    toldWhenFree: 'If a place becomes free, we will let you know by email.',
    manageBelow: 'To see or change your sign-up, or to withdraw, use this private link (please do not share it):',
    promotedIntro: 'A place has become free and is now yours:',
    promotedWithdraw:
      'If you can no longer come, please withdraw with the private link from your confirmation email, so that the place goes to the next person.',
    withdrawnBody: 'As you asked, your sign-up has been withdrawn and your personal details have been deleted.',
    thanks: 'Thank you for your help on this day of remembrance.',
    withdrawnThanks: 'Thank you for having offered your help.',
  },
  az: {
    greeting: (name) => `Hörmətli ${name},`,
    subject: {
      'confirm-request': (title) => `Könüllü qeydiyyatınızı təsdiq edin – ${title}`,
      confirmed: (title) => `Könüllü qeydiyyatınız təsdiq edildi – ${title}`,
      waitlisted: (title) => `Könüllülərin gözləmə siyahısındasınız – ${title}`,
      promoted: (title) => `Sizə könüllü yeri ayrıldı – ${title}`,
      withdrawn: (title) => `Könüllü qeydiyyatınız ləğv edildi – ${title}`,
    },
    thanksForOffer: (title, date) =>
      `${date} tarixində keçiriləcək "${title}" mərasimində könüllü olmaq istəyiniz üçün təşəkkür edirik.`,
    requested: 'Seçdiyiniz vəzifələr:',
    confirmBelow: 'Qeydiyyatınızı bu keçid ilə təsdiq edin:',
    nothingReserved: (expires) =>
      `Təsdiq edilənə qədər heç bir yer ayrılmır. Keçid ${expires} tarixinədək etibarlıdır.`,
    notYou: 'Əgər qeydiyyatdan keçməmisinizsə, bu məktuba əhəmiyyət verməyin; sorğu silinəcək.',
    detailsGiven: 'Bu sorğuda göstərilən məlumatlar:',
    nameLine: (name) => `- Ad: ${name}`,
    phoneLine: (phone) => `- Telefon: ${phone}`,
    reminders: (consent) => `- Xatırlatma məktubları: ${consent ? 'bəli' : 'xeyr'}`,
    onlyThese: 'Bu keçid məhz bu məlumatları və vəzifələri təsdiq edir.',
    confirmedIntro: 'Qeydiyyatınız təsdiq edildi.',
    placesHeld: 'Sizə ayrılan yerlər:',
    onWaitlist: 'Gözləmə siyahısında (bu vəzifələrdə hazırda boş yer yoxdur):',
    allWaitlisted:
      'Qeydiyyatınız təsdiq edildi. Seçdiyiniz vəzifələrdə hazırda boş yer yoxdur, ona görə də gözləmə siyahısındasınız:',
    toldWhenFree: 'Yer boşalarsa, sizə e-poçtla xəbər veriləcək.',
    manageBelow:
      'Qeydiyyatınıza baxmaq, onu dəyişmək və ya ondan imtina etmək üçün bu şəxsi keçiddən istifadə edin (onu başqalarına verməyin):',
    promotedIntro: 'Bir yer boşaldı və indi sizindir:',
    promotedWithdraw:
      'Gələ bilməyəcəksinizsə, yerin növbəti şəxsə keçməsi üçün təsdiq məktubunuzdakı şəxsi keçid ilə qeydiyyatdan imtina edin.',
    withdrawnBody: 'İstəyinizə uyğun olaraq qeydiyyatınız ləğv edildi və şəxsi məlumatlarınız silindi.',
    thanks: 'Bu anım günündə köməyiniz üçün təşəkkür edirik.',
    withdrawnThanks: 'Kömək etməyə hazır olduğunuz üçün təşəkkür edirik.',
  },
  ru: {
    greeting: (name) => `Здравствуйте, ${name}.`,
    subject: {
      'confirm-request': (title) => `Подтвердите регистрацию волонтёра – ${title}`,
      confirmed: (title) => `Ваша регистрация волонтёра подтверждена – ${title}`,
      waitlisted: (title) => `Вы в листе ожидания волонтёров – ${title}`,
      promoted: (title) => `За вами закреплено место волонтёра – ${title}`,
      withdrawn: (title) => `Ваша регистрация волонтёра отменена – ${title}`,
    },
    thanksForOffer: (title, date) => `Спасибо, что вызвались помочь волонтёром на церемонии «${title}» ${date}.`,
    requested: 'Выбранные вами роли:',
    confirmBelow: 'Пожалуйста, подтвердите регистрацию по ссылке:',
    nothingReserved: (expires) => `До подтверждения место не закрепляется. Ссылка действует до ${expires}.`,
    notYou: 'Если вы не регистрировались, просто не отвечайте на это письмо; запрос будет удалён.',
    detailsGiven: 'Данные, указанные в этом запросе:',
    nameLine: (name) => `- Имя: ${name}`,
    phoneLine: (phone) => `- Телефон: ${phone}`,
    reminders: (consent) => `- Письма-напоминания: ${consent ? 'да' : 'нет'}`,
    onlyThese: 'Эта ссылка подтверждает именно эти данные и роли.',
    confirmedIntro: 'Ваша регистрация подтверждена.',
    placesHeld: 'За вами закреплены места:',
    onWaitlist: 'В листе ожидания (на этих ролях сейчас нет свободных мест):',
    allWaitlisted:
      'Ваша регистрация подтверждена. На выбранных ролях сейчас нет свободных мест, поэтому вы в листе ожидания:',
    toldWhenFree: 'Если место освободится, мы сообщим вам по электронной почте.',
    manageBelow:
      'Чтобы посмотреть или изменить регистрацию либо отказаться от участия, воспользуйтесь личной ссылкой (не передавайте её другим):',
    promotedIntro: 'Освободилось место, и теперь оно ваше:',
    promotedWithdraw:
      'Если вы не сможете прийти, пожалуйста, откажитесь по личной ссылке из письма с подтверждением, чтобы место перешло следующему.',
    withdrawnBody: 'По вашей просьбе регистрация отменена, а ваши личные данные удалены.',
    thanks: 'Благодарим вас за помощь в этот день памяти.',
    withdrawnThanks: 'Спасибо за готовность помочь.',
  },
};

/** Subject, plain text and HTML (the same words) of a volunteer mail, in the person's language. */
export function renderVolunteerMail(context: VolunteerMailContext): { subject: string; text: string; html: string } {
  const texts = TEXTS[context.locale];
  const { edition, locale } = context;
  const list = (shifts: MailShift[]) => shifts.map((shift) => `- ${describeShift(shift, edition, locale)}`);
  const link = context.link ? withLang(context.link, locale) : '';
  const lines: string[] = [texts.greeting(context.name), ''];
  switch (context.kind) {
    case 'confirm-request':
      lines.push(
        texts.thanksForOffer(
          edition.title,
          formatDate(localToInstant(edition.date, '12:00', edition.timeZone), edition.timeZone, locale),
        ),
        '',
      );
      lines.push(texts.requested, ...list(context.assigned), '');
      if (context.details) {
        lines.push(texts.detailsGiven, texts.nameLine(context.name));
        if (context.details.phone) lines.push(texts.phoneLine(context.details.phone));
        lines.push(texts.reminders(context.details.consentReminders), texts.onlyThese, '');
      }
      lines.push(texts.confirmBelow, link, '');
      lines.push(
        texts.nothingReserved(context.expiresAt ? formatDateTime(context.expiresAt, edition.timeZone, locale) : ''),
        texts.notYou,
      );
      break;
    case 'confirmed':
    case 'waitlisted':
      if (context.assigned.length > 0) {
        lines.push(texts.confirmedIntro, '', texts.placesHeld, ...list(context.assigned), '');
        if (context.waitlisted.length > 0)
          lines.push(texts.onWaitlist, ...list(context.waitlisted), texts.toldWhenFree, '');
      } else {
        lines.push(texts.allWaitlisted, ...list(context.waitlisted), texts.toldWhenFree, '');
      }
      lines.push(texts.manageBelow, link, '', texts.thanks);
      break;
    case 'promoted':
      lines.push(texts.promotedIntro, ...list(context.assigned), '', texts.promotedWithdraw, '', texts.thanks);
      break;
    case 'withdrawn':
      lines.push(texts.withdrawnBody, '', texts.withdrawnThanks);
      break;
  }
  const paragraphs = paragraphsOf(lines);
  return {
    subject: texts.subject[context.kind](edition.title),
    text: mailText(paragraphs),
    html: mailHtml(locale, paragraphs, [link]),
  };
}
