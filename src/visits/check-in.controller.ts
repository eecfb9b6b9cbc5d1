import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { CheckInService } from './check-in.service';
import { BookingView } from './dto/booking.dto';
import {
  CheckInByCodeDto,
  CheckInResultView,
  DeskSearchQueryDto,
  DeskSearchView,
  SlotArrivalsView,
} from './dto/check-in.dto';

@ApiTags('visits')
@Controller()
export class CheckInController {
  constructor(private readonly checkIns: CheckInService) {}

  @Post('check-in')
  @Roles('organizer')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Check in the booking of a scanned QR code (organizer; idempotent: a repeat answers the first arrival with firstScan false)',
  })
  @ApiOkResponse({ type: CheckInResultView })
  @ApiBadRequestResponse({ description: '`code` missing or not a string' })
  @ApiNotFoundResponse({ description: 'Unknown check-in code' })
  @ApiConflictResponse({
    description: 'Booking cancelled (`code: booking_cancelled`) or waitlisted (`code: booking_waitlisted`)',
  })
  checkIn(@CurrentUser() actor: AuthUser, @Body() dto: CheckInByCodeDto): Promise<CheckInResultView> {
    return this.checkIns.checkInByCode(actor, dto.code);
  }

  @Post('check-in/look-up')
  @Roles('organizer')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The booking of a scanned QR code, without checking it in (organizer): the desk shows it and a person decides',
  })
  @ApiOkResponse({ type: BookingView })
  @ApiBadRequestResponse({ description: '`code` missing or not a string' })
  @ApiNotFoundResponse({ description: 'Unknown check-in code' })
  lookUp(@Body() dto: CheckInByCodeDto): Promise<BookingView> {
    return this.checkIns.lookUpByCode(dto.code);
  }

  @Get('ceremonies/:id/check-in/search')
  @Roles('organizer')
  @ApiOperation({
    summary: 'Find bookings of an edition by name, email or group, for the check-in desk (organizer; at most 50)',
  })
  @ApiOkResponse({ type: DeskSearchView })
  @ApiBadRequestResponse({ description: '`q` missing or shorter than 2 characters' })
  @ApiNotFoundResponse({ description: 'No such edition' })
  search(@Param('id', ParseUUIDPipe) ceremonyId: string, @Query() query: DeskSearchQueryDto): Promise<DeskSearchView> {
    return this.checkIns.search(ceremonyId, query.q);
  }

  @Get('visit-slots/:slotId/arrivals')
  @Roles('organizer')
  @ApiOperation({
    summary: "People arrived against people expected in a slot (organizer), for the desk's live counter",
  })
  @ApiOkResponse({ type: SlotArrivalsView })
  @ApiNotFoundResponse({ description: 'No such slot' })
  arrivals(@Param('slotId', ParseUUIDPipe) slotId: string): Promise<SlotArrivalsView> {
    return this.checkIns.arrivals(slotId);
  }
}
