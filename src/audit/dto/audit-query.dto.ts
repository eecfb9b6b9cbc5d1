import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ListQueryDto } from '../../common/pagination';

export class AuditQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ example: 'ceremony' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  entityId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ example: 'ceremony.update' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({
    example: '2027-02-01T00:00:00+04:00',
    description: 'Entries at or after this instant (ISO 8601 with offset)',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    example: '2027-02-02T00:00:00+04:00',
    description: 'Entries before this instant (ISO 8601 with offset); not before `from`',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  to?: string;
}
