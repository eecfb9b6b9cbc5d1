import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailingsModule } from '../mailings/mailings.module';
import { Subscriber } from './subscriber.entity';
import { SubscribersAudienceSource } from './subscribers-audience.source';
import { SubscribersRepository } from './subscribers.repository';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';

@Module({
  imports: [TypeOrmModule.forFeature([Subscriber]), MailingsModule],
  controllers: [SubscriptionsController],
  providers: [SubscribersRepository, SubscribersAudienceSource, SubscriptionsService],
  exports: [SubscriptionsService, SubscribersRepository],
})
export class SubscriptionsModule {}
