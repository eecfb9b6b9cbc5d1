import { applyDecorators, Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { LOCALES } from '../config/commemoration.config';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { PagesService, RenderedPage } from './pages.service';

function sendPage(reply: FastifyReply, page: RenderedPage, cache: 'public' | 'private'): string {
  void reply
    .status(page.status)
    .header('Content-Type', 'text/html; charset=utf-8')
    // Private-link pages are never stored; the others change with the data (remaining seats), so they are revalidated.
    .header('Cache-Control', cache === 'private' ? 'no-store' : 'no-cache');
  return page.html;
}

/** An HTML page in the language of ?lang= (default: DEFAULT_LOCALE). */
const HtmlPage = (summary: string) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiQuery({
      name: 'lang',
      required: false,
      enum: LOCALES,
      description: 'Page language; DEFAULT_LOCALE when absent',
    }),
    ApiProduces('text/html'),
    ApiOkResponse({ description: 'HTML page', schema: { type: 'string' } }),
  );

/** A page behind a private link: the token stays in the address and is sent to the JSON API by the page script only. */
const PrivateLinkPage = (summary: string) =>
  applyDecorators(
    HtmlPage(summary),
    ApiQuery({
      name: 'token',
      required: true,
      description: 'The private token from the email (read by the page script)',
    }),
  );

/** People-facing HTML pages; their forms call the JSON API from the browser. */
@ApiTags('pages')
@Public()
@Controller('p')
export class PagesController {
  constructor(private readonly pages: PagesService) {}

  @Get()
  @HtmlPage('Public page: the current ceremony with its program, and the annual reminder sign-up')
  @ApiNotFoundResponse({ description: 'No edition is published (HTML page saying so)' })
  async ceremony(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return sendPage(reply, await this.pages.ceremonyPage(lang), 'public');
  }

  @Get('visit')
  @HtmlPage('Public page: book a memorial visit, with the remaining places of each slot kept up to date')
  async visit(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return sendPage(reply, await this.pages.visitPage(lang), 'public');
  }

  @Get('volunteer')
  @HtmlPage('Public page: volunteer sign-up with the roles of the current edition')
  async volunteer(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return sendPage(reply, await this.pages.volunteerPage(lang), 'public');
  }

  @Get('visit/manage')
  @PrivateLinkPage('Public page behind the booking link: see or cancel the booking')
  visitManage(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): string {
    return sendPage(reply, this.pages.tokenPage('visitManage', lang), 'private');
  }

  @Get('volunteer/confirm')
  @PrivateLinkPage('Public page behind the volunteer confirmation link: one button confirms the sign-up')
  volunteerConfirm(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): string {
    return sendPage(reply, this.pages.tokenPage('volunteerConfirm', lang), 'private');
  }

  @Get('volunteer/me')
  @PrivateLinkPage('Public page behind the volunteer link: see the sign-up, download the data, withdraw')
  volunteerManage(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): string {
    return sendPage(reply, this.pages.tokenPage('volunteerManage', lang), 'private');
  }

  @Get('subscribe/confirm')
  @PrivateLinkPage('Public page behind the subscription confirmation link: one button confirms')
  subscriptionConfirm(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): string {
    return sendPage(reply, this.pages.tokenPage('subscriptionConfirm', lang), 'private');
  }

  @Get('assets/:name')
  @ApiOperation({ summary: 'Stylesheet and script of the public pages' })
  @ApiProduces('text/css', 'text/javascript')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'No such file' })
  @Header('Cache-Control', 'public, max-age=300')
  asset(@Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    const asset = this.pages.asset(name);
    void reply.header('Content-Type', asset.contentType);
    return asset.body;
  }
}
