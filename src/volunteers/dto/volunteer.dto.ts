import { applyDecorators } from '@nestjs/common';
import { NoControlCharacters } from '../../common/errors/no-control-characters';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ExportableListQueryDto } from '../../common/pagination';
import { LOCALES } from '../../config/commemoration.config';
import { ASSIGNMENT_STATES, AssignmentState } from '../volunteer-assignment.entity';
import { VOLUNTEER_STATUSES, VolunteerStatus } from '../volunteer.entity';
import { Trim } from '../../common/dto-transforms';
import { IsEmailAddress } from '../../common/email-address';

const MAX_ROLES = 20;

/** 1 to MAX_ROLES distinct role ids: one rule for sign-up, self-service change and organizer moves. */
const RoleIds = () =>
  applyDecorators(IsArray(), ArrayMinSize(1), ArrayMaxSize(MAX_ROLES), ArrayUnique(), IsUUID('all', { each: true }));

/** Details a volunteer can give at sign-up and change later (not the email: that was confirmed). */
class VolunteerDetailsDto {
  @ApiPropertyOptional({ example: '+994 50 123 45 67' })
  @IsOptional()
  @Trim()
  @IsString()
  @Matches(/^[0-9+()\-. ]{5,40}$/, {
    message: 'phone must be a telephone number (digits, spaces, + ( ) - .)',
    context: { code: 'invalid_phone' },
  })
  phone?: string;

  @ApiPropertyOptional({
    enum: LOCALES,
    isArray: true,
    description: 'Languages the volunteer speaks',
    example: ['az', 'en'],
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(LOCALES.length)
  @IsIn(LOCALES, { each: true })
  languages?: string[];

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @NoControlCharacters()
  note?: string;

  @ApiPropertyOptional({ enum: LOCALES, description: 'Language of correspondence' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: string;
}

export class SignUpVolunteerDto extends VolunteerDetailsDto {
  @ApiProperty()
  @IsUUID()
  ceremonyId!: string;

  @ApiProperty({ example: 'Leyla Aliyeva' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @NoControlCharacters()
  name!: string;

  @ApiProperty({ example: 'leyla@example.org' })
  @Trim()
  @IsEmailAddress()
  email!: string;

  @ApiProperty({ type: [String], description: 'Roles of that edition, 1 or more' })
  @RoleIds()
  roleIds!: string[];

  @ApiProperty({ description: 'Explicit yes or no to reminder emails about the volunteering' })
  @IsBoolean()
  consentReminders!: boolean;
}

export class ConfirmVolunteerDto {
  @ApiProperty({ description: 'The token from the confirmation link' })
  @IsString()
  @MaxLength(200)
  token!: string;
}

export class UpdateOwnVolunteeringDto extends VolunteerDetailsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  consentReminders?: boolean;

  @ApiPropertyOptional({
    type: [String],
    description: 'The full new set of roles; places are left, taken or waitlisted accordingly',
  })
  @IsOptional()
  @RoleIds()
  roleIds?: string[];
}

export class OrganizerUpdateVolunteerDto {
  @ApiPropertyOptional({
    enum: ['confirmed'],
    description: 'confirmed: approve a pending sign-up (acts like the confirm link)',
  })
  @IsOptional()
  @IsIn(['confirmed'])
  status?: 'confirmed';

  @ApiPropertyOptional({
    type: [String],
    description: 'Roles the volunteer is to hold a place in (assign or move); 409 when one is full',
  })
  @IsOptional()
  @RoleIds()
  roleIds?: string[];
}

export class RosterQueryDto extends ExportableListQueryDto {
  @ApiPropertyOptional({ enum: VOLUNTEER_STATUSES })
  @IsOptional()
  @IsIn(VOLUNTEER_STATUSES)
  status?: VolunteerStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  roleId?: string;

  @ApiPropertyOptional({
    example: 'en',
    description: "Language of the role names (az, en, ru); else Accept-Language, else the edition's first language",
  })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  lang?: string;
}

export class SignUpAcceptedView {
  @ApiProperty({ example: 'accepted' }) status!: 'accepted';
  @ApiProperty() message!: string;
}

export class VolunteerRoleAssignmentView {
  @ApiProperty() roleId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '09:00' }) shiftStart!: string;
  @ApiProperty({ example: '12:00' }) shiftEnd!: string;
  @ApiProperty({ enum: ASSIGNMENT_STATES, description: 'requested until confirmed; then assigned or waitlisted' })
  state!: AssignmentState;
  @ApiPropertyOptional({ nullable: true, type: Number, description: '1 = next to get a place' }) waitlistRank!:
    number | null;
}

export class VolunteerView {
  @ApiProperty() id!: string;
  @ApiProperty() ceremonyId!: string;
  @ApiProperty({ enum: VOLUNTEER_STATUSES }) status!: VolunteerStatus;
  @ApiPropertyOptional({ nullable: true, type: String }) name!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) email!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) phone!: string | null;
  @ApiPropertyOptional({ nullable: true, type: [String] }) languages!: string[] | null;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) locale!: string | null;
  @ApiProperty() consentReminders!: boolean;
  @ApiProperty({ type: [VolunteerRoleAssignmentView] }) roles!: VolunteerRoleAssignmentView[];
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) confirmedAt!: Date | null;
}

export class ConfirmedVolunteerView extends VolunteerView {
  @ApiProperty({ description: 'Private token for X-Manage-Token (the same one as in the link)' }) manageToken!: string;
  @ApiProperty() manageUrl!: string;
}

export class VolunteerPage {
  @ApiProperty({ type: [VolunteerView] }) items!: VolunteerView[];
  @ApiProperty() total!: number;
}

export class VolunteerExportView {
  @ApiProperty({ description: 'Every column of the volunteer record' }) volunteer!: Record<string, unknown>;
  @ApiProperty({ description: 'Every column of each role relation, with the role named' }) assignments!: Record<
    string,
    unknown
  >[];
  @ApiProperty({ description: 'Staff changes recorded about this volunteer' }) auditLog!: Record<string, unknown>[];
  @ApiProperty() exportedAt!: Date;
}
