import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailingsModule } from '../mailings/mailings.module';
import { ReminderRule } from './reminder-rule.entity';
import { ReminderRun } from './reminder-run.entity';
import { ReminderTemplate } from './reminder-template.entity';
import { RemindersController } from './reminders.controller';
import { RemindersRepository } from './reminders.repository';
import { RemindersService } from './reminders.service';

@Module({
  imports: [TypeOrmModule.forFeature([ReminderRule, ReminderRun, ReminderTemplate]), MailingsModule],
  controllers: [RemindersController],
  providers: [RemindersRepository, RemindersService],
  exports: [RemindersService],
})
export class RemindersModule {}
