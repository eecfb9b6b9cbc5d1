import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { OptionalAuth, OptionalUser } from '../auth/optional-auth.guard';
import { LangQueryDto, ReaderLanguages } from '../common/localized-text';
import type { Locale } from '../config/commemoration.config';
import { CreateVolunteerRoleDto, UpdateVolunteerRoleDto, VolunteerRoleView } from './dto/volunteer-role.dto';
import { VolunteerRolesService } from './volunteer-roles.service';

@ApiTags('volunteers')
@Controller()
export class VolunteerRolesController {
  constructor(private readonly roles: VolunteerRolesService) {}

  @Post('ceremonies/:id/volunteer-roles')
  @Roles('organizer')
  @ApiOperation({
    summary: 'Add a volunteer role with its shift (local HH:mm on the edition date) and capacity (organizer)',
  })
  @ApiCreatedResponse({ type: VolunteerRoleView })
  @ApiConflictResponse({ description: 'A role of that name exists in the edition' })
  @ApiBadRequestResponse({ description: 'A field is missing or invalid; the message names it (`name.ru`)' })
  create(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) ceremonyId: string,
    @Body() dto: CreateVolunteerRoleDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<VolunteerRoleView> {
    return this.roles.createRole(actor, ceremonyId, dto, lang);
  }

  @Get('ceremonies/:id/volunteer-roles')
  @OptionalAuth()
  @ApiOperation({
    summary:
      'Volunteer roles of a published edition with capacity, filled, remaining and waitlisted (staff also see drafts)',
  })
  @ApiOkResponse({ type: [VolunteerRoleView] })
  @ApiNotFoundResponse({ description: 'No such published edition' })
  list(
    @Param('id', ParseUUIDPipe) ceremonyId: string,
    @OptionalUser() viewer: AuthUser | null,
    @Query() _query: LangQueryDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<VolunteerRoleView[]> {
    return this.roles.listRoles(ceremonyId, viewer, lang);
  }

  @Patch('volunteer-roles/:roleId')
  @Roles('organizer')
  @ApiOperation({
    summary:
      'Change a role; the capacity never goes below the places taken, and a raise moves the waitlist up (organizer)',
  })
  @ApiOkResponse({ type: VolunteerRoleView })
  @ApiConflictResponse({ description: 'Capacity below the places taken, or name taken' })
  @ApiBadRequestResponse({ description: 'A field is invalid; the message names it (`name.ru`)' })
  update(
    @CurrentUser() actor: AuthUser,
    @Param('roleId', ParseUUIDPipe) roleId: string,
    @Body() dto: UpdateVolunteerRoleDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<VolunteerRoleView> {
    return this.roles.updateRole(actor, roleId, dto, lang);
  }

  @Delete('volunteer-roles/:roleId')
  @Roles('organizer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a role nobody holds or waits for (organizer)' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'Volunteers hold a place in or wait for the role' })
  remove(
    @CurrentUser() actor: AuthUser,
    @Param('roleId', ParseUUIDPipe) roleId: string,
    @Query() _query: LangQueryDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<void> {
    return this.roles.deleteRole(actor, roleId, lang);
  }
}
