import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin@localhost' })
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;

  @ApiPropertyOptional({
    description:
      'The current code of the authenticator app, or one unused recovery code; needed once two-factor sign-in is on',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  totp?: string;
}

export class TokenResponseDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ description: 'Lifetime of the token in seconds' }) expiresIn!: number;
}

export class SessionView {
  @ApiProperty({ description: 'Lifetime of the session in seconds' }) expiresIn!: number;
}

export class LoginRefusedDto {
  @ApiProperty({ example: 401 }) statusCode!: number;
  @ApiProperty() message!: string;
  @ApiProperty({ example: 'Unauthorized' }) error!: string;
  @ApiPropertyOptional({
    enum: ['totp_required', 'totp_invalid'],
    description: 'Only after a right password, for a user with two-factor sign-in',
  })
  code?: string;
}
