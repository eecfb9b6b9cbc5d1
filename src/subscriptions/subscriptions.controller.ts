import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { PublicWriteLimit } from '../common/rate-limit';
import { ConfirmSubscriptionDto, CreateSubscriptionDto, SubscriptionAcceptedView, SubscriptionConfirmedView } from './dto/subscription.dto';
import { SubscriptionsService } from './subscriptions.service';

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
  confirm(@Body() dto: ConfirmSubscriptionDto): Promise<SubscriptionConfirmedView> {
    return this.subscriptions.confirm(dto.token);
  }
}
