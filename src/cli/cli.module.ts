import { Module } from '@nestjs/common';
import { AppModule } from '../app.module';
import { CeremoniesModule } from '../ceremonies/ceremonies.module';
import { UsersModule } from '../users/users.module';
import { VisitsModule } from '../visits/visits.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { CliOutput } from './cli-output';
import { ImportVolunteersCommand } from './commands/import-volunteers.command';
import { SeedDemoCommand } from './commands/seed-demo.command';
import { UserCreateCommand } from './commands/user-create.command';

/**
 * The whole application (AppModule: config, database, services) without an HTTP server, plus
 * the commands. The feature modules are imported again only to reach the services they export.
 */
@Module({
  imports: [AppModule, UsersModule, CeremoniesModule, VisitsModule, VolunteersModule],
  providers: [CliOutput, UserCreateCommand, SeedDemoCommand, ImportVolunteersCommand],
})
export class CliModule {}
