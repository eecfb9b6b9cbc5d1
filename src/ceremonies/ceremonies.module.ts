import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { CeremoniesController } from './ceremonies.controller';
import { CeremoniesRepository } from './ceremonies.repository';
import { CeremoniesService } from './ceremonies.service';
import { CeremonyDependents } from './ceremony-dependents';
import { Ceremony } from './ceremony.entity';
import { ProgramItem } from './program-item.entity';
import { ProgramItemsRepository } from './program-items.repository';
import { ProgramController } from './program.controller';
import { ProgramService } from './program.service';

@Module({
  // AuthModule for the optional staff token on public routes (drafts are shown to staff).
  imports: [TypeOrmModule.forFeature([Ceremony, ProgramItem]), AuthModule],
  controllers: [CeremoniesController, ProgramController],
  providers: [CeremoniesRepository, CeremonyDependents, CeremoniesService, ProgramItemsRepository, ProgramService],
  exports: [CeremoniesRepository, CeremonyDependents, CeremoniesService, ProgramService],
})
export class CeremoniesModule {}
