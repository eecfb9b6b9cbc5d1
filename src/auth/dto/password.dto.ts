import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { Trim } from '../../common/dto-transforms';
import { IsAcceptablePassword } from '../../users/password-policy';

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  currentPassword!: string;

  @ApiProperty({
    minLength: 10,
    maxLength: 200,
    description: 'At least PASSWORD_MIN_LENGTH (10) characters and not a common password',
  })
  @IsString()
  @IsAcceptablePassword()
  newPassword!: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'organizer@example.org' })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'The token of the emailed link' })
  @IsString()
  @MaxLength(100)
  token!: string;

  @ApiProperty({
    minLength: 10,
    maxLength: 200,
    description: 'At least PASSWORD_MIN_LENGTH (10) characters and not a common password',
  })
  @IsString()
  @IsAcceptablePassword()
  password!: string;
}

/** What the reset page's form posts: the new password twice; checked by the service to answer with a page. */
export class PasswordResetFormDto {
  @ApiProperty({ description: 'The token of the emailed link (a hidden field of the form)' })
  @IsString()
  @MaxLength(100)
  token!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1000)
  password!: string;

  @ApiProperty({ description: 'The same password again' })
  @IsString()
  @MaxLength(1000)
  passwordRepeat!: string;
}

export class PasswordResetAcceptedView {
  @ApiProperty({ example: 'accepted' }) status!: 'accepted';
  @ApiProperty() message!: string;
}
