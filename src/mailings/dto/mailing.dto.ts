import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ExportableListQueryDto } from '../../common/pagination';
import { LOCALES, Locale } from '../../config/commemoration.config';
import { AUDIENCE_KINDS, AudienceKind } from '../audience-sources';
import { DELIVERY_STATUSES, Delivery, DeliveryStatus } from '../delivery.entity';
import { Mailing, MAILING_STATUSES, MailingStatus } from '../mailing.entity';
import type { MailingCounts } from '../mailings.repository';
import { IsEmailAddress } from '../../common/email-address';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class AudienceDto {
  @ApiProperty({ enum: AUDIENCE_KINDS })
  @IsIn(AUDIENCE_KINDS)
  kind!: AudienceKind;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Limit the audience to one edition (visitors, volunteers); also the edition the variables speak of',
  })
  @IsOptional()
  @IsUUID()
  ceremonyId?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Source-specific filters, e.g. a volunteer role or booking status',
  })
  @IsOptional()
  @IsObject()
  filters?: Record<string, unknown>;
}

export class LocalizedContentDto {
  @ApiProperty({ example: 'Khojaly Remembrance Day: {{ceremonyDate}}' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  subject!: string;

  @ApiProperty({ description: 'Plain-text body (Handlebars); every message has one' })
  @IsString()
  @MinLength(1)
  @MaxLength(50_000)
  text!: string;

  @ApiPropertyOptional({ description: 'HTML body (Handlebars, values escaped)' })
  @IsOptional()
  @IsString()
  @MaxLength(200_000)
  html?: string;
}

export class MailingContentDto {
  @ApiPropertyOptional({ type: LocalizedContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedContentDto)
  az?: LocalizedContentDto;
  @ApiPropertyOptional({ type: LocalizedContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedContentDto)
  en?: LocalizedContentDto;
  @ApiPropertyOptional({ type: LocalizedContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedContentDto)
  ru?: LocalizedContentDto;
}

export class CreateMailingDto {
  @ApiProperty({ example: 'Invitation 2027' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ type: AudienceDto })
  @ValidateNested()
  @Type(() => AudienceDto)
  audience!: AudienceDto;

  @ApiProperty({
    type: MailingContentDto,
    description:
      'Per language; variables: {{name}} {{ceremonyTitle}} {{ceremonyDate}} {{ceremonyStartTime}} {{venue}} {{manageUrl}} {{unsubscribeUrl}} {{commemorationName}}',
  })
  @ValidateNested()
  @Type(() => MailingContentDto)
  content!: MailingContentDto;
}

export class UpdateMailingDto extends PartialType(CreateMailingDto) {}

export class AudienceCountDto {
  @ApiProperty({ type: AudienceDto })
  @ValidateNested()
  @Type(() => AudienceDto)
  audience!: AudienceDto;
}

export class AudienceCountView {
  @ApiProperty({
    description: 'People a send would mail now: one per address, suppressed and unsubscribed addresses left out',
  })
  recipients!: number;
}

export class TemplateVariableView {
  @ApiProperty({ example: 'ceremonyDate' }) name!: string;
  @ApiProperty({ description: 'What the variable stands for (English)' }) description!: string;
}

export class TemplateVariablesView {
  @ApiProperty({ type: [TemplateVariableView] }) items!: TemplateVariableView[];
}

export class PreviewMailingDto {
  @ApiPropertyOptional({ description: 'Render for this audience member; a sample recipient when nobody matches' })
  @IsOptional()
  @Transform(trim)
  @IsEmailAddress()
  sample?: string;

  @ApiPropertyOptional({ enum: LOCALES, description: 'Language of the sample recipient' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class TestMailingDto {
  @ApiProperty()
  @Transform(trim)
  @IsEmailAddress()
  email!: string;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class SendMailingDto {
  @ApiPropertyOptional({ description: 'When to start sending (ISO 8601 with offset); now when absent or past' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
}

export class DeliveryQueryDto extends ExportableListQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class MailingCountsView {
  @ApiProperty() total!: number;
  @ApiProperty() queued!: number;
  @ApiProperty() sending!: number;
  @ApiProperty() sent!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() skipped!: number;
  @ApiProperty() cancelled!: number;
}

export class MailingRateView {
  @ApiProperty({ description: 'Messages sent in the last minute' }) lastMinute!: number;
  @ApiProperty({ description: 'Average messages per minute since the first was sent' }) perMinute!: number;
}

export class MailingView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: MAILING_STATUSES }) status!: MailingStatus;
  @ApiProperty({ type: AudienceDto }) audience!: AudienceDto;
  @ApiProperty({ type: MailingContentDto }) content!: MailingContentDto;
  @ApiProperty() origin!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) sendAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) frozenAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) completedAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) cancelledAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String }) stoppedReason!: string | null;
  @ApiProperty({ type: MailingCountsView }) counts!: MailingCounts;
  @ApiPropertyOptional({ type: MailingRateView }) rate?: MailingRateView;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  static of(mailing: Mailing, counts: MailingCounts, rate?: MailingRateView): MailingView {
    return {
      id: mailing.id,
      name: mailing.name,
      status: mailing.status,
      audience: {
        kind: mailing.audience.kind as AudienceKind,
        ceremonyId: mailing.audience.ceremonyId ?? undefined,
        filters: mailing.audience.filters ?? undefined,
      },
      content: mailing.content as MailingContentDto,
      origin: mailing.origin,
      sendAt: mailing.sendAt,
      frozenAt: mailing.frozenAt,
      completedAt: mailing.completedAt,
      cancelledAt: mailing.cancelledAt,
      stoppedReason: mailing.stoppedReason,
      counts,
      ...(rate ? { rate } : {}),
      createdAt: mailing.createdAt,
      updatedAt: mailing.updatedAt,
    };
  }
}

export class MailingPage {
  @ApiProperty({ type: [MailingView] }) items!: MailingView[];
  @ApiProperty() total!: number;
}

export class PreviewView {
  @ApiProperty({ description: 'Whether the recipient is a real audience member' }) audienceMember!: boolean;
  @ApiProperty() email!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ enum: LOCALES }) locale!: Locale;
  @ApiProperty() subject!: string;
  @ApiProperty() text!: string;
  @ApiPropertyOptional() html?: string;
}

export class TestSentView {
  @ApiProperty() sentTo!: string;
  @ApiProperty() messageId!: string;
}

export class DeliveryView {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) name!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) locale!: string | null;
  @ApiProperty() sourceType!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) nextAttemptAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) sentAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String }) messageId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) smtpResponse!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) skipReason!: string | null;

  static of(delivery: Delivery): DeliveryView {
    return {
      id: String(delivery.id),
      email: delivery.email,
      name: delivery.name,
      locale: delivery.locale,
      sourceType: delivery.sourceType,
      status: delivery.status,
      attempts: delivery.attempts,
      nextAttemptAt: delivery.status === 'queued' ? delivery.nextAttemptAt : null,
      sentAt: delivery.sentAt,
      messageId: delivery.messageId,
      smtpResponse: delivery.smtpResponse,
      lastError: delivery.lastError,
      skipReason: delivery.skipReason,
    };
  }
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryView] }) items!: DeliveryView[];
  @ApiProperty() total!: number;
}

export class AcceptedView {
  @ApiProperty({ example: 'accepted' }) status!: string;
  @ApiPropertyOptional() message?: string;
}
