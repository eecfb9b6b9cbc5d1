import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';

import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { STAFF_ROLES, StaffRole, User } from '../user.entity';
import { Trim } from '../../common/dto-transforms';
import { IsEmailAddress } from '../../common/email-address';


export class CreateUserDto {
  @ApiProperty({ example: 'organizer@example.org' })
  @Trim()
  @IsEmailAddress()
  email!: string;

  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
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

export class UpdateUserDto extends PartialType(CreateUserDto) {}

export class UserView {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: StaffRole;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional() updatedAt?: Date;

  static of(user: User): UserView {
    return { id: user.id, email: user.email, role: user.role, name: user.name, createdAt: user.createdAt, updatedAt: user.updatedAt };
  }
}

export class UserPage {
  @ApiProperty({ type: [UserView] }) items!: UserView[];
  @ApiProperty() total!: number;
}
