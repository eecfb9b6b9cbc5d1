import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';
import { ConsoleService } from './console.service';

/** The staff console's built files, served at /console on the API's own origin. */
@Module({ controllers: [ConsoleController], providers: [ConsoleService] })
export class ConsoleModule {}
