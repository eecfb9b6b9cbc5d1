import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CeremoniesRepository } from './ceremonies.repository';
import { CeremonyDependents } from './ceremony-dependents';
import { Ceremony } from './ceremony.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Ceremony])],
  providers: [CeremoniesRepository, CeremonyDependents],
  exports: [CeremoniesRepository, CeremonyDependents],
})
export class CeremoniesModule {}
