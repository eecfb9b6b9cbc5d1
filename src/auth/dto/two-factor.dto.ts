import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { UserView } from '../../users/dto/user.dto';

export class TwoFactorSetupView {
  @ApiProperty({ description: 'Base32 secret for the authenticator app; shown only this once' }) secret!: string;
  @ApiProperty({ example: 'otpauth://totp/Khojaly%20Remembrance%20Day:admin%40example.org?secret=...' })
  otpauthUrl!: string;
}

export class EnableTwoFactorDto {
  @ApiProperty({ example: '123456', description: 'The current code of the authenticator app' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'totp must be the 6-digit code of the authenticator app' })
  totp!: string;
}

export class RecoveryCodesView {
  @ApiProperty({
    type: [String],
    description: 'Ten one-time recovery codes, usable as `totp` at sign-in; shown only this once',
  })
  recoveryCodes!: string[];
}

export class DisableTwoFactorDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;

  @ApiProperty({ description: 'A current code, or an unused recovery code' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  totp!: string;
}

export class MeView extends UserView {
  @ApiProperty({ description: 'STAFF_2FA=required applies to this user (admins)' }) twoFactorRequired!: boolean;
  @ApiProperty({
    description:
      'This token opens only /auth/me, /auth/2fa/* and POST /auth/password until two-factor sign-in is set up and the user signs in again',
  })
  enrolmentRequired!: boolean;
}
