import { Module } from '@nestjs/common';
import { CeremoniesModule } from '../ceremonies/ceremonies.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AudienceSources } from './audience-sources';
import { DeliveriesRepository } from './deliveries.repository';
import { Delivery } from './delivery.entity';
import { DeliveriesQueue } from './deliveries.queue';
import { Mailing } from './mailing.entity';
import { MailingRenderer } from './mailing-renderer';
import { MailingsController } from './mailings.controller';
import { MailingsRepository } from './mailings.repository';
import { MailingsService } from './mailings.service';
import { Suppression } from './suppression.entity';
import { SuppressionsController } from './suppressions.controller';
import { SuppressionsRepository } from './suppressions.repository';
import { SuppressionsService } from './suppressions.service';
import { UnsubscribeController } from './unsubscribe.controller';
import { UnsubscribeService } from './unsubscribe.service';

/**
 * Mailings, their per-recipient ledger, the deliveries queue and one-click unsubscribe.
 * Features that own people import this module and register an AudienceSource.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Mailing, Delivery, Suppression]), CeremoniesModule],
  controllers: [MailingsController, SuppressionsController, UnsubscribeController],
  providers: [
    AudienceSources,
    MailingsRepository,
    DeliveriesRepository,
    SuppressionsRepository,
    SuppressionsService,
    MailingRenderer,
    MailingsService,
    DeliveriesQueue,
    UnsubscribeService,
  ],
  exports: [AudienceSources, MailingsService, SuppressionsRepository, DeliveriesQueue],
})
export class MailingsModule {}
