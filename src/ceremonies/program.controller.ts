import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../auth/auth.decorators';
import { OptionalAuth, OptionalUser } from '../auth/optional-auth.guard';
import { LocalizedListQueryDto, ReaderLanguages } from '../common/localized-text';
import type { Locale } from '../config/commemoration.config';
import { CreateProgramItemDto, ProgramItemView, ProgramPage, UpdateProgramItemDto } from './dto/program-item.dto';
import { ProgramService } from './program.service';

@ApiTags('ceremonies')
@Controller('ceremonies/:id/program')
export class ProgramController {
  constructor(private readonly program: ProgramService) {}

  @Post()
  @Roles('organizer')
  @ApiOperation({ summary: 'Add a program item (organizer); times are HH:mm local to the edition' })
  @ApiCreatedResponse({ type: ProgramItemView })
  @ApiBadRequestResponse({ description: 'A field is missing or invalid; the message names it (`title.ru`)' })
  add(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateProgramItemDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<ProgramItemView> {
    return this.program.addItem(actor, id, dto, lang);
  }

  @Get()
  @OptionalAuth()
  @ApiOperation({ summary: 'The program in time order (public when the edition is published)' })
  @ApiOkResponse({ type: ProgramPage })
  @ApiNotFoundResponse({ description: 'No such edition, or a draft asked for without a staff token' })
  list(
    @OptionalUser() viewer: AuthUser | null,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: LocalizedListQueryDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<ProgramPage> {
    return this.program.listProgram(id, viewer, query.limit, query.offset, lang);
  }

  @Patch(':itemId')
  @Roles('organizer')
  @ApiOperation({ summary: 'Edit a program item (organizer)' })
  @ApiOkResponse({ type: ProgramItemView })
  @ApiBadRequestResponse({ description: 'A field is invalid; the message names it (`title.ru`)' })
  update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() dto: UpdateProgramItemDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<ProgramItemView> {
    return this.program.updateItem(actor, id, itemId, dto, lang);
  }

  @Delete(':itemId')
  @HttpCode(204)
  @Roles('organizer')
  @ApiOperation({ summary: 'Remove a program item (organizer)' })
  @ApiNoContentResponse()
  remove(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
  ): Promise<void> {
    return this.program.deleteItem(actor, id, itemId);
  }
}
