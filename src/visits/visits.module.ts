import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailingsModule } from '../mailings/mailings.module';
import { VisitorsAudienceSource } from './visitors-audience.source';
import { CeremoniesModule } from '../ceremonies/ceremonies.module';
import { Booking } from './booking.entity';
import { BookingsController } from './bookings.controller';
import { BookingsService } from './bookings.service';
import { PublicSlotsCache } from './public-slots-cache';
import { CheckInCodes } from './check-in-codes';
import { CheckInController } from './check-in.controller';
import { CheckInService } from './check-in.service';
import { VisitMailer } from './visit-mailer';
import { VisitSlot } from './visit-slot.entity';
import { VisitSlotsController } from './visit-slots.controller';
import { VisitSlotsService } from './visit-slots.service';
import { VisitsRepository } from './visits.repository';

/** Memorial visits: time slots, bookings that never overbook, waiting list, manage links, check-in. */
@Module({
  imports: [TypeOrmModule.forFeature([VisitSlot, Booking]), CeremoniesModule, MailingsModule],
  controllers: [VisitSlotsController, BookingsController, CheckInController],
  providers: [
    VisitorsAudienceSource,
    VisitsRepository,
    VisitSlotsService,
    BookingsService,
    VisitMailer,
    PublicSlotsCache,
    CheckInCodes,
    CheckInService,
  ],
  exports: [VisitSlotsService, BookingsService],
})
export class VisitsModule {}
