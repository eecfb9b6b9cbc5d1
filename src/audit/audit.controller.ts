import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { AuditService } from './audit.service';
import { AuditPage } from './dto/audit-entry.dto';
import { AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('audit')
@Controller('audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Changes made by staff, newest first (admin)' })
  @ApiOkResponse({ type: AuditPage })
  @ApiBadRequestResponse({ description: 'A filter or the paging is malformed' })
  list(@Query() query: AuditQueryDto): Promise<AuditPage> {
    return this.audit.listLog(query);
  }
}
