import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { ConsoleFile, ConsoleService } from './console.service';

/**
 * Stricter than the API's policy: scripts and styles only from files this service serves (Vite emits
 * no inline ones), data only from this origin, never framed.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

@ApiTags('console')
@Public()
@Controller('console')
export class ConsoleController {
  constructor(private readonly console: ConsoleService) {}

  @Get()
  @Header('Content-Security-Policy', CONSOLE_CSP)
  @ApiOperation({ summary: 'The staff console (a single-page app; sign-in happens inside it)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The console page' })
  index(@Res() reply: FastifyReply): void {
    send(reply, this.console.index());
  }

  @Get('assets/:name')
  @Header('Content-Security-Policy', CONSOLE_CSP)
  @ApiOperation({ summary: 'A script, style or image of the staff console' })
  @ApiOkResponse({ description: 'The file' })
  @ApiNotFoundResponse({ description: 'No such file' })
  asset(@Param('name') name: string, @Res() reply: FastifyReply): void {
    send(reply, this.console.asset(name));
  }

  @Get(':view')
  @Header('Content-Security-Policy', CONSOLE_CSP)
  @ApiOperation({ summary: 'A view of the staff console, by address (the same page; the console shows the view)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The console page' })
  view(@Res() reply: FastifyReply): void {
    send(reply, this.console.index());
  }

  // One record of an area (`/console/mailings/<id>`, `/console/mailings/new`): a reload or a link lands on it.
  @Get(':view/:item')
  @Header('Content-Security-Policy', CONSOLE_CSP)
  @ApiOperation({
    summary: 'A record of a view of the staff console, by address (the same page; the console shows it)',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The console page' })
  itemView(@Res() reply: FastifyReply): void {
    send(reply, this.console.index());
  }
}

function send(reply: FastifyReply, file: ConsoleFile): void {
  void reply
    .header('Content-Type', file.contentType)
    .header('Cache-Control', file.cacheControl)
    .header('Content-Security-Policy', CONSOLE_CSP)
    .send(file.body);
}
