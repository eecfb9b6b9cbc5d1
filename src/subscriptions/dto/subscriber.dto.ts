import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ExportableListQueryDto } from '../../common/pagination';
import { LOCALES, type Locale } from '../../config/commemoration.config';
import { SUBSCRIBER_STATUSES, type Subscriber, type SubscriberStatus } from '../subscriber.entity';

export class SubscriberQueryDto extends ExportableListQueryDto {
  @ApiPropertyOptional({ description: 'Part of the email or the name, any case', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: SUBSCRIBER_STATUSES })
  @IsOptional()
  @IsIn(SUBSCRIBER_STATUSES)
  status?: SubscriberStatus;
}

export class SubscriberView {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ enum: LOCALES }) locale!: Locale;
  @ApiProperty({ enum: SUBSCRIBER_STATUSES }) status!: SubscriberStatus;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) confirmedAt!: Date | null;
  @ApiProperty({ type: Date, nullable: true }) unsubscribedAt!: Date | null;

  static of(subscriber: Subscriber): SubscriberView {
    return {
      id: subscriber.id,
      email: subscriber.email,
      name: subscriber.name,
      locale: subscriber.locale,
      status: subscriber.status,
      createdAt: subscriber.createdAt,
      confirmedAt: subscriber.confirmedAt,
      unsubscribedAt: subscriber.unsubscribedAt,
    };
  }
}

export class SubscriberCounts {
  @ApiProperty() pending!: number;
  @ApiProperty() confirmed!: number;
  @ApiProperty() unsubscribed!: number;
}

export class SubscriberPage {
  @ApiProperty({ type: [SubscriberView] }) items!: SubscriberView[];
  @ApiProperty({ description: 'Rows matching the search and status' }) total!: number;
  @ApiProperty({ type: SubscriberCounts, description: 'Every subscriber per state, regardless of the search' })
  counts!: SubscriberCounts;
}
