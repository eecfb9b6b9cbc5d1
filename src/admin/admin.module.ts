import { Module } from '@nestjs/common';
import { CeremoniesModule } from '../ceremonies/ceremonies.module';
import { RetentionModule } from '../retention/retention.module';
import { RemindersModule } from '../reminders/reminders.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { VisitsModule } from '../visits/visits.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

@Module({
  imports: [CeremoniesModule, VisitsModule, VolunteersModule, SubscriptionsModule, RemindersModule, RetentionModule],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
