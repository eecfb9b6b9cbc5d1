import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RetentionRun } from './retention-run.entity';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

/** Retention: an edition's personal data is erased RETENTION_DAYS after its date; the counts stay. */
@Module({
  imports: [TypeOrmModule.forFeature([RetentionRun])],
  providers: [RetentionRepository, RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
