import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { csvOrPage } from '../common/csv';
import { SubscriberPage, SubscriberQueryDto, SubscriberView } from './dto/subscriber.dto';
import { SubscribersService } from './subscribers.service';

@ApiTags('subscriptions')
@Controller('subscribers')
@Roles('admin')
export class SubscribersController {
  constructor(private readonly subscribers: SubscribersService) {}

  @Get()
  @ApiOperation({
    summary:
      'Reminder subscribers, oldest first, with the count per state; ?q= searches email and name, ?status=, ?format=csv (admin)',
  })
  @ApiOkResponse({ type: SubscriberPage })
  @ApiProduces('application/json', 'text/csv')
  @ApiBadRequestResponse({ description: 'Unknown status, search too long, bad limit or offset' })
  async list(@Query() query: SubscriberQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.subscribers.listSubscribers(query);
    return csvOrPage(reply, 'subscribers.csv', result, query);
  }

  @Post(':id/unsubscribe')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Unsubscribe someone on their behalf, as their own unsubscribe link would (admin, audited, idempotent)',
  })
  @ApiOkResponse({ type: SubscriberView })
  @ApiBadRequestResponse({ description: 'id is not a UUID' })
  @ApiNotFoundResponse({ description: 'No such subscriber' })
  unsubscribe(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<SubscriberView> {
    return this.subscribers.unsubscribeOnBehalf(actor, id);
  }
}
