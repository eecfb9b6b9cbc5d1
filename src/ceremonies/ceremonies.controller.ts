import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, CurrentUser, Public, Roles } from '../auth/auth.decorators';
import { OptionalAuth, OptionalUser } from '../auth/optional-auth.guard';
import { LangQueryDto, LocalizedListQueryDto, ReaderLanguages } from '../common/localized-text';
import type { Locale } from '../config/commemoration.config';
import { CeremoniesService } from './ceremonies.service';
import {
  CeremonyDefaultsQueryDto,
  CeremonyDefaultsView,
  CeremonyPage,
  CeremonyView,
  CreateCeremonyDto,
  UpdateCeremonyDto,
} from './dto/ceremony.dto';

@ApiTags('ceremonies')
@Controller('ceremonies')
export class CeremoniesController {
  constructor(private readonly ceremonies: CeremoniesService) {}

  @Post()
  @Roles('organizer')
  @ApiOperation({
    summary: 'Create the edition of a year (organizer); date and time zone default to the configured commemoration',
  })
  @ApiCreatedResponse({ type: CeremonyView })
  @ApiConflictResponse({ description: 'The year already has an edition' })
  @ApiBadRequestResponse({
    description: 'A field is missing or invalid; the message names it (`title.ru`, `venue.name`)',
  })
  create(
    @CurrentUser() actor: AuthUser,
    @Body() dto: CreateCeremonyDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<CeremonyView> {
    return this.ceremonies.createEdition(actor, dto, lang);
  }

  @Get()
  @OptionalAuth()
  @ApiOperation({ summary: 'List editions, newest first: published ones (public); drafts too with a staff token' })
  @ApiOkResponse({ type: CeremonyPage })
  list(
    @OptionalUser() viewer: AuthUser | null,
    @Query() query: LocalizedListQueryDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<CeremonyPage> {
    return this.ceremonies.listEditions(viewer, query.limit, query.offset, lang);
  }

  @Get('defaults')
  @Roles('organizer')
  @ApiOperation({
    summary:
      'What a new edition gets when a field is left out: the commemoration date of the year, the default time zone, the languages (organizer)',
  })
  @ApiOkResponse({ type: CeremonyDefaultsView })
  defaults(@Query() query: CeremonyDefaultsQueryDto): Promise<CeremonyDefaultsView> {
    return this.ceremonies.editionDefaults(query.year);
  }

  @Get('current')
  @Public()
  @ApiOperation({
    summary: 'The next published edition on or after today in its time zone, else the latest published (public)',
  })
  @ApiOkResponse({ type: CeremonyView })
  @ApiNotFoundResponse({ description: 'No edition is published' })
  current(@Query() _query: LangQueryDto, @ReaderLanguages() lang: Locale[]): Promise<CeremonyView> {
    return this.ceremonies.getCurrentEdition(lang);
  }

  @Get(':id')
  @OptionalAuth()
  @ApiOperation({ summary: 'One edition (public when published; drafts with a staff token)' })
  @ApiOkResponse({ type: CeremonyView })
  @ApiNotFoundResponse({ description: 'No such edition, or a draft asked for without a staff token' })
  get(
    @OptionalUser() viewer: AuthUser | null,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() _query: LangQueryDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<CeremonyView> {
    return this.ceremonies.getEdition(id, viewer, lang);
  }

  @Patch(':id')
  @Roles('organizer')
  @ApiOperation({ summary: 'Edit an edition (organizer); moving its date or time moves what depends on it' })
  @ApiOkResponse({ type: CeremonyView })
  @ApiConflictResponse({ description: 'The new year already has an edition' })
  @ApiBadRequestResponse({ description: 'A field is invalid; the message names it (`title.ru`, `venue.name`)' })
  update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCeremonyDto,
    @ReaderLanguages() lang: Locale[],
  ): Promise<CeremonyView> {
    return this.ceremonies.updateEdition(actor, id, dto, lang);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('organizer')
  @ApiOperation({ summary: 'Publish an edition (organizer); idempotent' })
  @ApiOkResponse({ type: CeremonyView })
  publish(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CeremonyView> {
    return this.ceremonies.publishEdition(actor, id);
  }

  @Post(':id/unpublish')
  @HttpCode(200)
  @Roles('organizer')
  @ApiOperation({ summary: 'Return an edition to draft (organizer); idempotent' })
  @ApiOkResponse({ type: CeremonyView })
  unpublish(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CeremonyView> {
    return this.ceremonies.unpublishEdition(actor, id);
  }

  @Post(':id/next-year')
  @Roles('organizer')
  @ApiOperation({ summary: 'Copy the edition, its program and dependent plans into next year as a draft (organizer)' })
  @ApiCreatedResponse({ type: CeremonyView })
  @ApiConflictResponse({ description: 'Next year already has an edition' })
  copyToNextYear(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CeremonyView> {
    return this.ceremonies.copyToNextYear(actor, id);
  }

  @Get(':id/calendar.ics')
  @OptionalAuth()
  @ApiOperation({ summary: 'The edition and its program as an iCalendar file (public when published)' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({
    description:
      "RFC 5545 calendar, its texts in the language of ?lang= (else Accept-Language, else the edition's first language)",
    schema: { type: 'string' },
  })
  async calendar(
    @OptionalUser() viewer: AuthUser | null,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() _query: LangQueryDto,
    @ReaderLanguages() lang: Locale[],
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { filename, body } = await this.ceremonies.calendarOf(id, viewer, lang);
    void reply
      .header('Content-Type', 'text/calendar; charset=utf-8')
      .header('Content-Disposition', `inline; filename="${filename}"`);
    return body;
  }
}
