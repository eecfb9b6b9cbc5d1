import { Module } from '@nestjs/common';
import { AppModule } from '../app.module';
import { CeremoniesModule } from '../ceremonies/ceremonies.module';
import { MailingsModule } from '../mailings/mailings.module';
import { RemindersModule } from '../reminders/reminders.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { UsersModule } from '../users/users.module';
import { VisitsModule } from '../visits/visits.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { CliOutput } from './cli-output';
import { ImportSubscribersCommand } from './commands/import-subscribers.command';
import { ImportVolunteersCommand } from './commands/import-volunteers.command';
import { MailingFollowCommand } from './commands/mailing-follow.command';
import { RemindersDryRunCommand } from './commands/reminders-dry-run.command';
import { SeedDemoCommand } from './commands/seed-demo.command';
import { UserCreateCommand } from './commands/user-create.command';

/**
 * The whole application (AppModule: config, database, services) without an HTTP server, plus
 * the commands. The feature modules are imported again only to reach the services they export.
 */
@Module({
  imports: [
    AppModule,
    UsersModule,
    CeremoniesModule,
    VisitsModule,
    VolunteersModule,
    SubscriptionsModule,
    MailingsModule,
    RemindersModule,
  ],
  providers: [
    CliOutput,
    UserCreateCommand,
    SeedDemoCommand,
    ImportVolunteersCommand,
    ImportSubscribersCommand,
    MailingFollowCommand,
    RemindersDryRunCommand,
  ],
})
export class CliModule {}
