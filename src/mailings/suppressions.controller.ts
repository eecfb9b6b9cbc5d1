import { Controller, Delete, Get, HttpCode, Param, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { csvOrPage } from '../common/csv';
import { SuppressionPage, SuppressionQueryDto } from './dto/suppression.dto';
import { SuppressionsService } from './suppressions.service';

@ApiTags('mailings')
@Controller('suppressions')
@Roles('admin')
export class SuppressionsController {
  constructor(private readonly suppressions: SuppressionsService) {}

  @Get()
  @ApiOperation({
    summary: 'Addresses no mailing or reminder goes to, newest first; ?reason=&q= filter, ?format=csv (admin)',
  })
  @ApiOkResponse({ type: SuppressionPage })
  @ApiProduces('application/json', 'text/csv')
  @ApiBadRequestResponse({ description: 'Unknown reason, bad limit or offset' })
  async list(@Query() query: SuppressionQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.suppressions.listSuppressions(query);
    return csvOrPage(reply, 'suppressions.csv', result, query);
  }

  @Delete(':email')
  @HttpCode(204)
  @ApiOperation({ summary: 'Lift a bounce, so later mailings reach the address again (admin, audited)' })
  @ApiParam({ name: 'email', description: 'The address, URL-encoded' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiBadRequestResponse({ description: 'Not an address' })
  @ApiNotFoundResponse({ description: 'The address is not suppressed' })
  @ApiConflictResponse({
    description: 'Unsubscribed, erased or a complaint: only the owner lifts that, by subscribing again',
  })
  remove(@CurrentUser() actor: AuthUser, @Param('email') email: string): Promise<void> {
    return this.suppressions.removeBounce(actor, email);
  }
}
