import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailingsModule } from '../mailings/mailings.module';
import { Subscriber } from './subscriber.entity';
import { SubscribersAudienceSource } from './subscribers-audience.source';
import { SubscribersController } from './subscribers.controller';
import { SubscribersRepository } from './subscribers.repository';
import { SubscribersService } from './subscribers.service';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';

@Module({
  imports: [TypeOrmModule.forFeature([Subscriber]), MailingsModule],
  controllers: [SubscriptionsController, SubscribersController],
  providers: [SubscribersRepository, SubscribersAudienceSource, SubscriptionsService, SubscribersService],
  exports: [SubscriptionsService, SubscribersRepository],
})
export class SubscriptionsModule {}
