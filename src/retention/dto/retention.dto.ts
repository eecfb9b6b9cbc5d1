import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErasedCountsView {
  @ApiProperty() bookings!: number;
  @ApiProperty() volunteers!: number;
  @ApiProperty() deliveries!: number;
  @ApiProperty() outbox!: number;
}

export class RetentionView {
  @ApiProperty({ description: 'RETENTION_DAYS; 0 keeps personal data' }) retentionDays!: number;
  @ApiPropertyOptional({
    nullable: true,
    type: Date,
    description: "When the edition's personal data falls due for erasure (null when kept)",
  })
  dueAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'When it was erased (null until then)' })
  erasedAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: ErasedCountsView, description: 'How many records were erased' })
  erased!: ErasedCountsView | null;
}
