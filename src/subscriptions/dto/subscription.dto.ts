import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NoControlCharacters } from '../../common/errors/no-control-characters';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { LOCALES, Locale } from '../../config/commemoration.config';
import { IsEmailAddress } from '../../common/email-address';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateSubscriptionDto {
  @ApiProperty({ example: 'leyla@example.org' })
  @Transform(trim)
  @IsEmailAddress()
  email!: string;

  @ApiPropertyOptional({ example: 'Leyla' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @NoControlCharacters()
  name?: string;

  @ApiPropertyOptional({ enum: LOCALES, description: 'Language of the reminders' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class ConfirmSubscriptionDto {
  @ApiProperty({ description: 'The token from the confirmation link' })
  @IsString()
  @MaxLength(100)
  token!: string;
}

export class SubscriptionAcceptedView {
  @ApiProperty({ example: 'accepted' }) status!: 'accepted';
  @ApiProperty() message!: string;
}

export class SubscriptionConfirmedView {
  @ApiProperty({ example: 'confirmed' }) status!: 'confirmed';
}
