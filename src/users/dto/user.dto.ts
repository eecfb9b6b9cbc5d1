import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';

import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { STAFF_ROLES, StaffRole, User } from '../user.entity';
import { Trim } from '../../common/dto-transforms';
import { IsEmailAddress } from '../../common/email-address';
import { IsAcceptablePassword } from '../password-policy';

export class CreateUserDto {
  @ApiProperty({ example: 'organizer@example.org' })
  @Trim()
  @IsEmailAddress()
  email!: string;

  @ApiProperty({
    minLength: 10,
    maxLength: 200,
    description: 'At least PASSWORD_MIN_LENGTH (10) characters and not a common password',
  })
  @IsString()
  @IsAcceptablePassword()
  password!: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES)
  role!: StaffRole;

  @ApiProperty({ example: 'Aysel Mammadova' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;
}

export class UpdateUserDto extends PartialType(CreateUserDto) {
  @ApiPropertyOptional({ description: 'false deactivates the account: no sign-in, every token refused' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UserView {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: StaffRole;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'A deactivated user cannot sign in' }) active!: boolean;
  @ApiProperty() twoFactorEnabled!: boolean;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional() updatedAt?: Date;

  static of(user: User): UserView {
    return {
      id: user.id,
      email: user.email,
      role: user.role,
      name: user.name,
      active: user.active,
      twoFactorEnabled: user.totpEnabledAt !== null,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
    };
  }
}

export class UserPage {
  @ApiProperty({ type: [UserView] }) items!: UserView[];
  @ApiProperty() total!: number;
}
