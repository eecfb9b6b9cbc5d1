import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../common/staff';
import { ListQueryDto } from '../common/pagination';
import { CreateUserDto, UpdateUserDto, UserPage, UserView } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a staff user (admin)' })
  @ApiCreatedResponse({ type: UserView })
  @ApiConflictResponse({ description: 'Email already used' })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.createUser(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List staff users (admin)' })
  @ApiOkResponse({ type: UserPage })
  list(@Query() query: ListQueryDto) {
    return this.users.list(query.limit, query.offset);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a staff user: name, email, role or password (admin)' })
  @ApiOkResponse({ type: UserView })
  update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.updateUser(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a staff user (admin); the last admin and yourself cannot be deleted' })
  remove(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.users.deleteUser(actor, id);
  }
}
