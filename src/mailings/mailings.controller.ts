import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { sendCsv } from '../common/csv';
import { ListQueryDto } from '../common/pagination';
import {
  AudienceCountDto,
  AudienceCountView,
  CreateMailingDto,
  DeliveryPage,
  DeliveryQueryDto,
  MailingPage,
  MailingView,
  PreviewMailingDto,
  PreviewView,
  SendMailingDto,
  TestMailingDto,
  TemplateVariablesView,
  TestSentView,
  UpdateMailingDto,
} from './dto/mailing.dto';
import { MailingsService } from './mailings.service';

@ApiTags('mailings')
@Controller('mailings')
@Roles('admin')
export class MailingsController {
  constructor(private readonly mailings: MailingsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a draft mailing (admin); templates are checked now' })
  @ApiCreatedResponse({ type: MailingView })
  @ApiBadRequestResponse({ description: 'Unknown variable or helper, unknown audience, ...' })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateMailingDto): Promise<MailingView> {
    return this.mailings.createMailing(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List mailings with their delivery counts (admin)' })
  @ApiOkResponse({ type: MailingPage })
  list(@Query() query: ListQueryDto) {
    return this.mailings.listMailings(query.limit, query.offset);
  }

  @Get('variables')
  @ApiOperation({ summary: 'The variables a mailing template may use (admin)' })
  @ApiOkResponse({ type: TemplateVariablesView })
  variables(): TemplateVariablesView {
    return this.mailings.listTemplateVariables();
  }

  @Post('audience-count')
  @HttpCode(200)
  @ApiOperation({
    summary: 'How many people a send to this audience would mail now, before anything is frozen (admin)',
  })
  @ApiOkResponse({ type: AudienceCountView })
  @ApiBadRequestResponse({ description: 'Unknown audience, filter or edition' })
  audienceCount(@Body() dto: AudienceCountDto): Promise<AudienceCountView> {
    return this.mailings.countAudience(dto.audience);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One mailing with counts and send rate (admin)' })
  @ApiOkResponse({ type: MailingView })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<MailingView> {
    return this.mailings.getMailing(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a draft mailing (admin)' })
  @ApiOkResponse({ type: MailingView })
  @ApiConflictResponse({ description: 'Not a draft any more' })
  update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMailingDto,
  ): Promise<MailingView> {
    return this.mailings.updateMailing(actor, id, dto);
  }

  @Post(':id/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render the message for one recipient (admin)' })
  @ApiOkResponse({ type: PreviewView })
  preview(@Param('id', ParseUUIDPipe) id: string, @Body() dto: PreviewMailingDto): Promise<PreviewView> {
    return this.mailings.previewMailing(id, dto.sample, dto.locale);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send one test copy to one address only (admin)' })
  @ApiAcceptedResponse({ type: TestSentView })
  test(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: TestMailingDto,
  ): Promise<TestSentView> {
    return this.mailings.sendTest(actor, id, dto.email, dto.locale);
  }

  @Post(':id/send')
  @HttpCode(202)
  @ApiOperation({ summary: 'Freeze the audience into deliveries and send now or at `at` (admin)' })
  @ApiAcceptedResponse({ type: MailingView })
  @ApiConflictResponse({ description: 'Already sent or sending' })
  send(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SendMailingDto,
  ): Promise<MailingView> {
    return this.mailings.sendMailing(actor, id, dto.at ? new Date(dto.at) : undefined);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop what is not yet sent (admin)' })
  @ApiOkResponse({ type: MailingView })
  cancel(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<MailingView> {
    return this.mailings.cancelMailing(actor, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'One row per recipient, with status; ?format=csv (admin)' })
  @ApiOkResponse({ type: DeliveryPage })
  @ApiProduces('application/json', 'text/csv')
  async deliveries(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: DeliveryQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (query.format === 'csv')
      return sendCsv(reply, `mailing-${id}-deliveries.csv`, await this.mailings.deliveriesCsv(id, query.status), query);
    return this.mailings.listDeliveries(id, query.status, query.limit, query.offset);
  }
}
