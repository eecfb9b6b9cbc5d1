import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { PublicWriteLimit } from '../common/rate-limit';
import {
  ConfirmSubscriptionDto,
  CreateSubscriptionDto,
  SubscriptionAcceptedView,
  SubscriptionConfirmedView,
} from './dto/subscription.dto';
import { SubscriptionsService } from './subscriptions.service';

const LANG_QUERY = {
  name: 'lang',
  required: false,
  enum: ['az', 'en', 'ru'],
  description: 'Language of the page; else the subscriber’s',
};

function sendHtml(reply: FastifyReply, html: string): string {
  void reply.header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store');
  return html;
}

@ApiTags('subscriptions')
@Controller('subscriptions')
@Public()
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @HttpCode(202)
  @PublicWriteLimit()
  @ApiOperation({ summary: 'Ask for the annual reminder (public); a confirmation link is emailed (double opt-in)' })
  @ApiAcceptedResponse({ type: SubscriptionAcceptedView, description: 'The same reply for new and known addresses' })
  subscribe(@Body() dto: CreateSubscriptionDto): Promise<SubscriptionAcceptedView> {
    return this.subscriptions.subscribe(dto);
  }

  @Post('confirm')
  @HttpCode(200)
  @PublicWriteLimit()
  @ApiOperation({ summary: 'Confirm a subscription with the emailed token (public)' })
  @ApiOkResponse({ type: SubscriptionConfirmedView })
  @ApiNotFoundResponse({ description: 'Unknown or expired token' })
  @ApiQuery(LANG_QUERY)
  async confirm(
    @Body() dto: ConfirmSubscriptionDto,
    @Query('lang') lang: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubscriptionConfirmedView | string> {
    // The form on the confirmation page posts form-encoded and gets a page back; API clients get JSON.
    if (contentType?.startsWith('application/x-www-form-urlencoded'))
      return sendHtml(reply, await this.subscriptions.confirmFromPage(dto.token, lang));
    return this.subscriptions.confirm(dto.token);
  }

  @Get('confirm')
  @ApiOperation({ summary: 'The page the emailed link opens: one button that confirms (public, token)' })
  @ApiQuery({ name: 'token', required: true })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page in the subscriber’s language' })
  @ApiNotFoundResponse({ description: 'Unknown or expired token' })
  @ApiQuery(LANG_QUERY)
  async page(
    @Query('token') token: string,
    @Query('lang') lang: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return sendHtml(reply, await this.subscriptions.confirmationPage(token, lang));
  }
}
