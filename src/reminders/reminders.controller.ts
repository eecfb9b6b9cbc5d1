import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { Clock } from '../common/clock';
import { DryRunItem, DryRunQueryDto, ReminderRunView, RunsQueryDto } from './dto/reminder-run.dto';
import { ReminderRuleDto, ReminderRuleView } from './dto/reminder-rule.dto';
import { ReminderTemplateDto, ReminderTemplateView } from './dto/reminder-template.dto';
import { ReminderRulesPipe } from './reminder-rules.pipe';
import { RemindersService } from './reminders.service';

@ApiTags('reminders')
@Controller()
@Roles('admin')
export class RemindersController {
  constructor(
    private readonly reminders: RemindersService,
    private readonly clock: Clock,
  ) {}

  @Get('reminder-rules')
  @ApiOperation({ summary: 'Anniversary reminder rules (admin)' })
  @ApiOkResponse({ type: [ReminderRuleView] })
  listRules(): Promise<ReminderRuleView[]> {
    return this.reminders.listRules(this.clock.now());
  }

  @Put('reminder-rules')
  @ApiOperation({
    summary:
      'Replace the reminder rules: keep an id to update a rule, omit it to add one; rules left out are removed (admin)',
  })
  @ApiBody({ type: [ReminderRuleDto] })
  @ApiOkResponse({ type: [ReminderRuleView] })
  replaceRules(
    @CurrentUser() actor: AuthUser,
    @Body(ReminderRulesPipe) rules: ReminderRuleDto[],
  ): Promise<ReminderRuleView[]> {
    return this.reminders.replaceRules(actor, rules, this.clock.now());
  }

  @Get('reminder-templates')
  @ApiOperation({ summary: 'Texts of the reminders per language, by template key (admin)' })
  @ApiOkResponse({ type: [ReminderTemplateView] })
  listTemplates(): Promise<ReminderTemplateView[]> {
    return this.reminders.listTemplates();
  }

  @Put('reminder-templates/:key')
  @ApiOperation({ summary: 'Change the texts of a reminder template; unknown variables are refused (admin)' })
  @ApiOkResponse({ type: ReminderTemplateView })
  updateTemplate(
    @CurrentUser() actor: AuthUser,
    @Param('key') key: string,
    @Body() dto: ReminderTemplateDto,
  ): Promise<ReminderTemplateView> {
    return this.reminders.updateTemplate(actor, key, dto);
  }

  @Get('reminder-runs')
  @ApiOperation({ summary: 'Per rule and edition: due time, when it fired, its mailing and counts (admin)' })
  @ApiOkResponse({ type: [ReminderRunView] })
  listRuns(@Query() query: RunsQueryDto): Promise<ReminderRunView[]> {
    return this.reminders.listRuns(this.clock.now(), query.year);
  }

  @Get('reminder-runs/dry-run')
  @ApiOperation({
    summary: 'What the scheduler would record if it ticked at the given instant; nothing is written (admin)',
  })
  @ApiOkResponse({ type: [DryRunItem] })
  dryRun(@Query() query: DryRunQueryDto): Promise<DryRunItem[]> {
    return this.reminders.dryRun(new Date(query.at));
  }
}
