import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, CurrentUser, Public, Roles } from '../auth/auth.decorators';
import { ReaderLanguages } from '../common/localized-text';
import type { Locale } from '../config/commemoration.config';
import { sendCsv } from '../common/csv';
import { Page } from '../common/pagination';
import { PublicWriteLimit } from '../common/rate-limit';
import { BookingsService } from './bookings.service';
import {
  BookingCreatedView,
  BookingExportView,
  BookingListQueryDto,
  BookingPage,
  BookingView,
  CreateBookingDto,
  ManagedBookingView,
} from './dto/booking.dto';

@ApiTags('visits')
@Controller()
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Post('visit-slots/:slotId/bookings')
  @Public()
  @PublicWriteLimit()
  @ApiOperation({
    summary:
      'Book a visit (public): confirmed when places are free, else waitlisted if `waitlist` is true; a confirmation email is sent',
  })
  @ApiCreatedResponse({ type: BookingCreatedView })
  @ApiConflictResponse({
    description: 'Slot full (and no waitlist), already begun, or this email already holds a booking in the slot',
  })
  @ApiNotFoundResponse({ description: 'No such slot in a published edition' })
  book(@Param('slotId', ParseUUIDPipe) slotId: string, @Body() dto: CreateBookingDto): Promise<BookingCreatedView> {
    return this.bookings.bookVisit(slotId, dto);
  }

  @Get('bookings/manage/:token')
  @Public()
  @ApiOperation({ summary: 'See your own booking (token from the confirmation email)' })
  @ApiOkResponse({ type: ManagedBookingView })
  @ApiNotFoundResponse({ description: 'Unknown token' })
  @ApiQuery({
    name: 'lang',
    required: false,
    description: "Language of the edition's texts (az, en, ru); else Accept-Language, else the booking's language",
  })
  view(@Param('token') token: string, @ReaderLanguages() lang: Locale[]): Promise<ManagedBookingView> {
    return this.bookings.viewBooking(token, lang);
  }

  @Get('bookings/manage/:token/export')
  @Public()
  @ApiOperation({
    summary: 'Download everything held about your own booking as JSON (token from the confirmation email)',
  })
  @ApiOkResponse({ type: BookingExportView })
  @ApiNotFoundResponse({ description: 'Unknown token' })
  export(@Param('token') token: string): Promise<BookingExportView> {
    return this.bookings.exportBooking(token);
  }

  @Delete('bookings/manage/:token')
  @Public()
  @PublicWriteLimit()
  @ApiOperation({ summary: 'Cancel your own booking (idempotent); freed places go to the waiting list in order' })
  @ApiOkResponse({ type: ManagedBookingView })
  @ApiNotFoundResponse({ description: 'Unknown token' })
  @ApiConflictResponse({ description: 'Already checked in' })
  cancel(@Param('token') token: string, @ReaderLanguages() lang: Locale[]): Promise<ManagedBookingView> {
    return this.bookings.cancelBooking(token, lang);
  }

  @Get('ceremonies/:id/bookings')
  @Roles('organizer')
  @ApiOperation({ summary: 'Bookings of an edition (organizer); ?format=csv downloads all matching rows' })
  @ApiOkResponse({ type: BookingPage })
  @ApiProduces('application/json', 'text/csv')
  async list(
    @Param('id', ParseUUIDPipe) ceremonyId: string,
    @Query() query: BookingListQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Page<BookingView> | string> {
    if (query.format !== 'csv') return this.bookings.listBookings(ceremonyId, query);
    return sendCsv(reply, `bookings-${ceremonyId}.csv`, await this.bookings.exportBookings(ceremonyId, query), query);
  }

  @Post('bookings/:id/cancel')
  @Roles('organizer')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Cancel a booking on the visitor's behalf (organizer; idempotent): the seats go to the waiting list in order, who moves up is emailed",
  })
  @ApiOkResponse({ type: BookingView })
  @ApiConflictResponse({ description: 'Already checked in' })
  @ApiNotFoundResponse({ description: 'No such booking' })
  cancelForVisitor(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<BookingView> {
    return this.bookings.cancelBookingForVisitor(actor, id);
  }

  @Post('bookings/:id/check-in')
  @Roles('organizer')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mark a confirmed booking as arrived (organizer; idempotent: a repeat answers the first arrival time)',
  })
  @ApiOkResponse({ type: BookingView })
  @ApiConflictResponse({ description: 'Cancelled or waitlisted booking' })
  @ApiNotFoundResponse({ description: 'No such booking' })
  checkIn(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<BookingView> {
    return this.bookings.checkIn(actor, id);
  }
}
