import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CeremoniesService } from '../ceremonies/ceremonies.service';
import { CeremonyView } from '../ceremonies/dto/ceremony.dto';
import { ProgramService } from '../ceremonies/program.service';
import { formatDateTime, isLocale } from '../common/i18n';
import { commemorationConfig, CommemorationConfig, Locale, LOCALES } from '../config/commemoration.config';
import { Html, layout, PageName } from './page-layout';
import { CeremonySummary, ceremonyBody, noCeremonyBody, tokenPageBody, visitBody, volunteerBody } from './page-views';
import { PAGE_TEXTS } from './texts';

export interface RenderedPage {
  status: number;
  html: string;
}

export interface PageAsset {
  contentType: string;
  body: Buffer;
}

const ASSETS: Record<string, string> = {
  'pages.css': 'text/css; charset=utf-8',
  'pages.js': 'text/javascript; charset=utf-8',
};

const PROGRAM_LIMIT = 500;

/** Renders the people-facing pages; the forms on them call the JSON API from the browser. */
@Injectable()
export class PagesService {
  private readonly assets = new Map<string, PageAsset>();

  constructor(
    private readonly ceremonies: CeremoniesService,
    private readonly program: ProgramService,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
  ) {
    for (const [name, contentType] of Object.entries(ASSETS)) {
      this.assets.set(name, { contentType, body: readFileSync(join(__dirname, 'assets', name)) });
    }
  }

  asset(name: string): PageAsset {
    const asset = this.assets.get(name);
    if (!asset) throw new NotFoundException('Not found');
    return asset;
  }

  localeOf(requested: unknown): Locale {
    return isLocale(requested) ? requested : this.commemoration.defaultLocale;
  }

  async ceremonyPage(lang: unknown): Promise<RenderedPage> {
    const locale = this.localeOf(lang);
    const texts = PAGE_TEXTS[locale];
    const ceremony = await this.currentCeremony(locale);
    if (!ceremony) return this.missingCeremony('ceremony', locale);
    const program = await this.program.listProgram(ceremony.id, null, PROGRAM_LIMIT, 0, [locale]);
    return this.page(
      locale,
      'ceremony',
      ceremony.title,
      ceremonyBody(this.summary(ceremony, locale), program.items, texts, locale),
      {
        ceremonyId: ceremony.id,
      },
    );
  }

  async visitPage(lang: unknown): Promise<RenderedPage> {
    const locale = this.localeOf(lang);
    const texts = PAGE_TEXTS[locale];
    const ceremony = await this.currentCeremony(locale);
    if (!ceremony) return this.missingCeremony('visit', locale);
    return this.page(locale, 'visit', texts.visitTitle, visitBody(this.summary(ceremony, locale), texts, locale), {
      ceremonyId: ceremony.id,
      timeZone: ceremony.timeZone,
      date: ceremony.date,
    });
  }

  async volunteerPage(lang: unknown): Promise<RenderedPage> {
    const locale = this.localeOf(lang);
    const texts = PAGE_TEXTS[locale];
    const ceremony = await this.currentCeremony(locale);
    if (!ceremony) return this.missingCeremony('volunteer', locale);
    return this.page(
      locale,
      'volunteer',
      texts.volunteerTitle,
      volunteerBody(this.summary(ceremony, locale), texts, locale),
      {
        ceremonyId: ceremony.id,
        timeZone: ceremony.timeZone,
        date: ceremony.date,
      },
    );
  }

  /** A page reached by a private link; the token stays in the browser and goes to the API only. */
  tokenPage(
    page: 'visitManage' | 'volunteerConfirm' | 'volunteerManage' | 'subscriptionConfirm',
    lang: unknown,
  ): RenderedPage {
    const locale = this.localeOf(lang);
    const texts = PAGE_TEXTS[locale];
    const content = {
      visitManage: { title: texts.bookingTitle, intro: null, button: null },
      volunteerConfirm: {
        title: texts.volunteerConfirmTitle,
        intro: texts.volunteerConfirmIntro,
        button: texts.volunteerConfirmButton,
      },
      volunteerManage: { title: texts.meTitle, intro: null, button: null },
      subscriptionConfirm: {
        title: texts.subscriptionConfirmTitle,
        intro: texts.subscriptionConfirmIntro,
        button: texts.subscriptionConfirmButton,
      },
    }[page];
    // The self-service form offers the languages a volunteer may speak, each in its own name.
    const data =
      page === 'volunteerManage'
        ? { languages: LOCALES.map((code) => `${code}:${PAGE_TEXTS[code].languageName}`).join('|') }
        : undefined;
    return {
      status: 200,
      html: layout({
        locale,
        page,
        title: content.title,
        siteName: this.commemoration.names[locale],
        body: tokenPageBody(texts, content.intro, content.button),
        private: true,
        data,
      }),
    };
  }

  private page(locale: Locale, page: PageName, title: string, body: Html, data: Record<string, string>): RenderedPage {
    return {
      status: 200,
      html: layout({ locale, page, title, siteName: this.commemoration.names[locale], body, data }),
    };
  }

  private missingCeremony(page: PageName, locale: Locale): RenderedPage {
    const texts = PAGE_TEXTS[locale];
    return {
      status: 404,
      html: layout({
        locale,
        page,
        title: this.commemoration.names[locale],
        siteName: this.commemoration.names[locale],
        body: noCeremonyBody(texts),
      }),
    };
  }

  /** The current edition with its texts in the page's language. */
  private async currentCeremony(locale: Locale): Promise<CeremonyView | null> {
    try {
      return await this.ceremonies.getCurrentEdition([locale]);
    } catch (error) {
      if (error instanceof NotFoundException) return null;
      throw error;
    }
  }

  private summary(ceremony: CeremonyView, locale: Locale): CeremonySummary {
    return {
      id: ceremony.id,
      title: ceremony.title,
      when: formatDateTime(new Date(ceremony.startsAt), ceremony.timeZone, locale),
      venueName: ceremony.venue.name,
      venueAddress: ceremony.venue.address,
      description: ceremony.description,
      timeZone: ceremony.timeZone,
      date: ceremony.date,
    };
  }
}
