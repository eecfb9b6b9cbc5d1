import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { AdminService } from './admin.service';
import { OverviewQueryDto, OverviewView } from './dto/overview.dto';

@ApiTags('operations')
@Controller('admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('overview')
  @Roles('organizer')
  @ApiOperation({
    summary:
      'The current edition at a glance: seats per slot, volunteers per role, subscribers, reminder runs (organizers and admins: they run the day together)',
  })
  @ApiOkResponse({ type: OverviewView })
  overview(@CurrentUser() viewer: AuthUser, @Query() query: OverviewQueryDto): Promise<OverviewView> {
    return this.admin.overview(viewer, query.ceremonyId);
  }
}
