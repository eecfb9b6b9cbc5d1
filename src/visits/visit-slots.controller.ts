import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public, Roles } from '../auth/auth.decorators';
import {
  CreateVisitSlotsDto,
  UpdateVisitSlotDto,
  VisitSlotPlanView,
  VisitSlotSummary,
  VisitSlotView,
} from './dto/visit-slot.dto';
import { VisitSlotsService } from './visit-slots.service';

@ApiTags('visits')
@ApiExtraModels(VisitSlotView)
@Controller()
export class VisitSlotsController {
  constructor(private readonly slots: VisitSlotsService) {}

  @Post('ceremonies/:id/visit-slots')
  @Roles('organizer')
  @ApiOperation({
    summary: 'Create one visit slot, or generate a series (organizer)',
    description:
      'Send {startsAt, endsAt, capacity} for one slot, or {from, to, everyMinutes, durationMinutes, capacity} for a series: slots start at `from` and every `everyMinutes` after, each lasting `durationMinutes`, the last ending no later than `to`. `from`/`to` are HH:mm on the edition date in its time zone, or ISO instants. Start times the edition already has are skipped.',
  })
  @ApiCreatedResponse({
    description: 'The slot, or the list of generated slots',
    schema: {
      oneOf: [{ $ref: getSchemaPath(VisitSlotView) }, { type: 'array', items: { $ref: getSchemaPath(VisitSlotView) } }],
    },
  })
  @ApiBadRequestResponse({ description: 'Invalid times, capacity or too many slots' })
  @ApiNotFoundResponse({ description: 'No such ceremony' })
  create(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) ceremonyId: string,
    @Body() dto: CreateVisitSlotsDto,
  ): Promise<VisitSlotView | VisitSlotView[]> {
    return this.slots.createSlots(actor, ceremonyId, dto);
  }

  @Post('ceremonies/:id/visit-slots/preview')
  @Roles('organizer')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The slots a series would generate, before anything is created (organizer)',
    description:
      'Same body, rule and checks as generating a series with POST /ceremonies/:id/visit-slots; nothing is written. Starts the edition already has are flagged `exists` (generating skips them).',
  })
  @ApiOkResponse({ type: VisitSlotPlanView })
  @ApiBadRequestResponse({ description: 'Invalid times, capacity, too many slots, or not a series' })
  @ApiNotFoundResponse({ description: 'No such ceremony' })
  preview(
    @Param('id', ParseUUIDPipe) ceremonyId: string,
    @Body() dto: CreateVisitSlotsDto,
  ): Promise<VisitSlotPlanView> {
    return this.slots.previewSlots(ceremonyId, dto);
  }

  @Get('ceremonies/:id/visit-slots')
  @Public()
  @ApiOperation({
    summary: 'Visit slots of a published edition in time order, with places booked, remaining and waitlisted (people)',
  })
  @ApiOkResponse({ type: [VisitSlotView] })
  @ApiNotFoundResponse({ description: 'No such published ceremony' })
  list(@Param('id', ParseUUIDPipe) ceremonyId: string): Promise<VisitSlotView[]> {
    return this.slots.listPublicSlots(ceremonyId);
  }

  @Get('ceremonies/:id/visit-slots/summary')
  @Roles('organizer')
  @ApiOperation({ summary: 'Per-slot and total people booked, checked in and waitlisted (organizer)' })
  @ApiOkResponse({ type: VisitSlotSummary })
  summary(@Param('id', ParseUUIDPipe) ceremonyId: string): Promise<VisitSlotSummary> {
    return this.slots.summary(ceremonyId);
  }

  @Patch('visit-slots/:slotId')
  @Roles('organizer')
  @ApiOperation({
    summary: 'Change a slot (organizer): capacity never below what is booked; raising it moves the waiting list up',
  })
  @ApiOkResponse({ type: VisitSlotView })
  @ApiConflictResponse({ description: 'Capacity below the people already booked' })
  @ApiNotFoundResponse({ description: 'No such slot' })
  update(
    @CurrentUser() actor: AuthUser,
    @Param('slotId', ParseUUIDPipe) slotId: string,
    @Body() dto: UpdateVisitSlotDto,
  ): Promise<VisitSlotView> {
    return this.slots.updateSlot(actor, slotId, dto);
  }

  @Delete('visit-slots/:slotId')
  @Roles('organizer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a slot without active bookings (organizer)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiConflictResponse({ description: 'The slot has confirmed or waitlisted bookings' })
  @ApiNotFoundResponse({ description: 'No such slot' })
  remove(@CurrentUser() actor: AuthUser, @Param('slotId', ParseUUIDPipe) slotId: string): Promise<void> {
    return this.slots.deleteSlot(actor, slotId);
  }
}
