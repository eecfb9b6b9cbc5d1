import { ApiProperty } from '@nestjs/swagger';

export class AuditEntryView {
  @ApiProperty() id!: string;
  @ApiProperty() occurredAt!: Date;
  @ApiProperty({ type: String, nullable: true, description: 'Null for actions taken by the system' }) actorId!:
    string | null;
  @ApiProperty({ type: String, nullable: true }) actorEmail!: string | null;
  @ApiProperty({ example: 'ceremony.update' }) action!: string;
  @ApiProperty({ example: 'ceremony' }) entityType!: string;
  @ApiProperty({ type: String, nullable: true }) entityId!: string | null;
  @ApiProperty({ type: Object, nullable: true }) before!: object | null;
  @ApiProperty({ type: Object, nullable: true }) after!: object | null;
}

export class AuditPage {
  @ApiProperty({ type: [AuditEntryView] }) items!: AuditEntryView[];
  @ApiProperty() total!: number;
}
