import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { PublicWriteLimit } from '../common/rate-limit';
import { UnsubscribeService } from './unsubscribe.service';

const LANG_QUERY = {
  name: 'lang',
  required: false,
  enum: ['az', 'en', 'ru'],
  description: 'Language of the page; else the recipient’s',
};

// Set only on success: a 404 keeps the JSON error body every other miss has.
function sendHtml(reply: FastifyReply, html: string): string {
  void reply.header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store');
  return html;
}

@ApiTags('unsubscribe')
@Controller('unsubscribe')
@Public()
export class UnsubscribeController {
  constructor(private readonly unsubscribe: UnsubscribeService) {}

  @Get(':token')
  @ApiOperation({ summary: 'A page with one button to unsubscribe from all bulk mail (public, token)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page in the recipient’s language' })
  @ApiNotFoundResponse({ description: 'Unknown token' })
  @ApiQuery(LANG_QUERY)
  async page(
    @Param('token') token: string,
    @Query('lang') lang: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return sendHtml(reply, await this.unsubscribe.confirmPage(token, lang));
  }

  // RFC 8058: the body is "List-Unsubscribe=One-Click" (form-encoded) or empty; it is not read.
  @Post(':token')
  @HttpCode(200)
  @PublicWriteLimit()
  @ApiOperation({ summary: 'Unsubscribe at once, no further click (RFC 8058 one-click; public, token)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'Unsubscribed (also when already unsubscribed)' })
  @ApiNotFoundResponse({ description: 'Unknown token' })
  @ApiQuery(LANG_QUERY)
  async oneClick(
    @Param('token') token: string,
    @Query('lang') lang: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return sendHtml(reply, await this.unsubscribe.unsubscribe(token, lang));
  }
}
