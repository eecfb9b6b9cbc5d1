import { Controller, Get, Query, Redirect } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { LOCALES } from '../config/commemoration.config';

/** A visitor who types the bare address lands on the public pages, in the language they asked for. */
@ApiTags('pages')
@Public()
@Controller()
export class RootController {
  @Get()
  @Redirect('/p', 302)
  @ApiOperation({ summary: 'Redirects the bare address to the public pages (/p)' })
  @ApiQuery({ name: 'lang', required: false, enum: LOCALES })
  @ApiFoundResponse({ description: 'Location: /p (with ?lang= when given)' })
  root(@Query('lang') lang: unknown): { url: string } {
    return {
      url: typeof lang === 'string' && (LOCALES as readonly string[]).includes(lang) ? `/p?lang=${lang}` : '/p',
    };
  }
}
