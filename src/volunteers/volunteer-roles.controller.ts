import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { OptionalAuth, OptionalUser } from '../auth/optional-auth.guard';
import { CreateVolunteerRoleDto, UpdateVolunteerRoleDto, VolunteerRoleView } from './dto/volunteer-role.dto';
import { VolunteerRolesService } from './volunteer-roles.service';

@ApiTags('volunteers')
@Controller()
export class VolunteerRolesController {
  constructor(private readonly roles: VolunteerRolesService) {}

  @Post('ceremonies/:id/volunteer-roles')
  @Roles('organizer')
  @ApiOperation({ summary: 'Add a volunteer role with its shift (local HH:mm on the edition date) and capacity (organizer)' })
  @ApiCreatedResponse({ type: VolunteerRoleView })
  @ApiConflictResponse({ description: 'A role of that name exists in the edition' })
  create(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) ceremonyId: string, @Body() dto: CreateVolunteerRoleDto): Promise<VolunteerRoleView> {
    return this.roles.createRole(actor, ceremonyId, dto);
  }

  @Get('ceremonies/:id/volunteer-roles')
  @OptionalAuth()
  @ApiOperation({ summary: 'Volunteer roles of a published edition with capacity, filled, remaining and waitlisted (staff also see drafts)' })
  @ApiOkResponse({ type: [VolunteerRoleView] })
  @ApiNotFoundResponse({ description: 'No such published edition' })
  list(@Param('id', ParseUUIDPipe) ceremonyId: string, @OptionalUser() viewer: AuthUser | null): Promise<VolunteerRoleView[]> {
    return this.roles.listRoles(ceremonyId, viewer);
  }

  @Patch('volunteer-roles/:roleId')
  @Roles('organizer')
  @ApiOperation({ summary: 'Change a role; the capacity never goes below the places taken, and a raise moves the waitlist up (organizer)' })
  @ApiOkResponse({ type: VolunteerRoleView })
  @ApiConflictResponse({ description: 'Capacity below the places taken, or name taken' })
  update(@CurrentUser() actor: AuthUser, @Param('roleId', ParseUUIDPipe) roleId: string, @Body() dto: UpdateVolunteerRoleDto): Promise<VolunteerRoleView> {
    return this.roles.updateRole(actor, roleId, dto);
  }

  @Delete('volunteer-roles/:roleId')
  @Roles('organizer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a role nobody holds or waits for (organizer)' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'Volunteers hold a place in or wait for the role' })
  remove(@CurrentUser() actor: AuthUser, @Param('roleId', ParseUUIDPipe) roleId: string): Promise<void> {
    return this.roles.deleteRole(actor, roleId);
  }
}
