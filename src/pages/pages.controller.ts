import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
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

/** People-facing HTML pages (not part of the JSON API, so left out of the OpenAPI document). */
@ApiExcludeController()
@Public()
@Controller('p')
export class PagesController {
  constructor(private readonly pages: PagesService) {}

  @Get()
  async ceremony(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return sendPage(reply, await this.pages.ceremonyPage(lang), 'public');
  }

  @Get('visit')
  async visit(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return sendPage(reply, await this.pages.visitPage(lang), 'public');
  }

  @Get('volunteer')
  async volunteer(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return sendPage(reply, await this.pages.volunteerPage(lang), 'public');
  }

  @Get('visit/manage')
  visitManage(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): string {
    return sendPage(reply, this.pages.tokenPage('visitManage', lang), 'private');
  }

  @Get('volunteer/confirm')
  volunteerConfirm(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): string {
    return sendPage(reply, this.pages.tokenPage('volunteerConfirm', lang), 'private');
  }

  @Get('volunteer/me')
  volunteerManage(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): string {
    return sendPage(reply, this.pages.tokenPage('volunteerManage', lang), 'private');
  }

  @Get('subscribe/confirm')
  subscriptionConfirm(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply): string {
    return sendPage(reply, this.pages.tokenPage('subscriptionConfirm', lang), 'private');
  }

  @Get('assets/:name')
  @Header('Cache-Control', 'public, max-age=300')
  asset(@Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    const asset = this.pages.asset(name);
    void reply.header('Content-Type', asset.contentType);
    return asset.body;
  }
}
