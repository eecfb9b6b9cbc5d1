import { Inject, Injectable } from '@nestjs/common';
import { CeremoniesRepository } from '../ceremonies/ceremonies.repository';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import { localToInstant } from '../ceremonies/ceremony-time';
import { Clock } from '../common/clock';
import { formatDate, formatDateTime } from '../common/i18n';
import { resolveField } from '../common/localized-text';
import { withLang } from '../common/page-link';
import { appConfig, AppConfig } from '../config/app.config';
import { commemorationConfig, CommemorationConfig, Locale } from '../config/commemoration.config';
import type { Mailing } from './mailing.entity';
import { CompiledContent, RenderedMessage, TemplateValues } from './mailing-templates';
import { MailingsRepository } from './mailings.repository';

export interface Recipient {
  email: string;
  name: string | null;
  locale: string | null;
  manageUrl: string | null;
}

/** A mailing ready to render for any number of recipients (templates compiled, edition loaded once). */
export interface PreparedMailing {
  render(recipient: Recipient, unsubscribeUrl: string): RenderedMessage;
}

/** Turns a mailing and a recipient into the message that person reads. */
@Injectable()
export class MailingRenderer {
  constructor(
    private readonly mailings: MailingsRepository,
    private readonly ceremonies: CeremoniesRepository,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
  ) {}

  unsubscribeUrl(token: string): string {
    return `${this.app.publicBaseUrl}/unsubscribe/${token}`;
  }

  /**
   * withLang for an unsubscribe link, without parsing a URL per recipient: a token is URL-safe
   * and ends the path, so the link is the same text around it for every token of a language.
   */
  private unsubscribeWithLang(): (unsubscribeUrl: string, locale: Locale) => string {
    const marker = 'TOKEN';
    const prefix = this.unsubscribeUrl('');
    const around = new Map<Locale, [string, string]>();
    return (unsubscribeUrl, locale) => {
      const token = unsubscribeUrl.startsWith(prefix) ? unsubscribeUrl.slice(prefix.length) : '';
      if (!/^[A-Za-z0-9_-]+$/.test(token)) return withLang(unsubscribeUrl, locale);
      let parts = around.get(locale);
      if (!parts) {
        const link = withLang(this.unsubscribeUrl(marker), locale);
        const at = link.lastIndexOf(marker);
        parts = [link.slice(0, at), link.slice(at + marker.length)];
        around.set(locale, parts);
      }
      return parts[0] + token + parts[1];
    };
  }

  async prepare(mailing: Pick<Mailing, 'content' | 'ceremonyId'>): Promise<PreparedMailing> {
    const today = this.clock.now().toISOString().slice(0, 10);
    const ceremony = await this.ceremonies.findSpokenOf(mailing.ceremonyId, today);
    const compiled = new CompiledContent(mailing.content, this.commemoration.defaultLocale);
    const perLocale = new Map<Locale, Omit<TemplateValues, 'name' | 'manageUrl' | 'unsubscribeUrl'>>();
    const editionValues = (locale: Locale) => {
      let values = perLocale.get(locale);
      if (!values) {
        values = this.editionValues(ceremony, locale);
        perLocale.set(locale, values);
      }
      return values;
    };
    const unsubscribeLink = this.unsubscribeWithLang();
    return {
      render: (recipient, unsubscribeUrl) => {
        const locale = compiled.localeFor(recipient.locale);
        return compiled.render(locale, {
          ...editionValues(locale),
          name: recipient.name ?? '',
          manageUrl: recipient.manageUrl ? withLang(recipient.manageUrl, locale) : '',
          unsubscribeUrl: unsubscribeLink(unsubscribeUrl, locale),
        });
      },
    };
  }

  private editionValues(
    ceremony: Ceremony | null,
    locale: Locale,
  ): Omit<TemplateValues, 'name' | 'manageUrl' | 'unsubscribeUrl'> {
    const base = { commemorationName: this.commemoration.names[locale] };
    if (!ceremony) return { ...base, ceremonyTitle: '', ceremonyDate: '', ceremonyStartTime: '', venue: '' };
    const start = localToInstant(ceremony.date, ceremony.startTime, ceremony.timeZone);
    const text = (plain: string, field: string) =>
      resolveField(plain, ceremony.translations, field, locale, ceremony.locales);
    return {
      ...base,
      ceremonyTitle: text(ceremony.title, 'title'),
      ceremonyDate: formatDate(start, ceremony.timeZone, locale),
      ceremonyStartTime: formatDateTime(start, ceremony.timeZone, locale),
      venue: [text(ceremony.venueName, 'venue.name'), text(ceremony.venueAddress, 'venue.address')]
        .filter(Boolean)
        .join(', '),
    };
  }
}
