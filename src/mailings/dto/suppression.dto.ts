import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ExportableListQueryDto } from '../../common/pagination';
import { SUPPRESSION_REASONS, SuppressionReason } from '../suppression.entity';

export class SuppressionQueryDto extends ExportableListQueryDto {
  @ApiPropertyOptional({ enum: SUPPRESSION_REASONS })
  @IsOptional()
  @IsIn(SUPPRESSION_REASONS)
  reason?: SuppressionReason;

  @ApiPropertyOptional({ description: 'Part of the address, any case', maxLength: 254 })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  q?: string;
}

export class SuppressionView {
  @ApiProperty() email!: string;
  @ApiProperty({ enum: SUPPRESSION_REASONS }) reason!: SuppressionReason;
  @ApiProperty({ nullable: true, type: String, description: 'Where it came from, e.g. delivery:123' }) source!:
    string | null;
  @ApiProperty() createdAt!: Date;
}

export class SuppressionPage {
  @ApiProperty({ type: [SuppressionView] }) items!: SuppressionView[];
  @ApiProperty() total!: number;
}
