import { Controller, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { PublicWriteLimit } from '../common/rate-limit';
import { UnsubscribeService } from './unsubscribe.service';

@ApiTags('unsubscribe')
@Controller('unsubscribe')
@Public()
export class UnsubscribeController {
  constructor(private readonly unsubscribe: UnsubscribeService) {}

  @Get(':token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'A page with one button to unsubscribe from all bulk mail (public, token)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page in the recipient’s language' })
  @ApiNotFoundResponse({ description: 'Unknown token' })
  page(@Param('token') token: string): Promise<string> {
    return this.unsubscribe.confirmPage(token);
  }

  // RFC 8058: the body is "List-Unsubscribe=One-Click" (form-encoded) or empty; it is not read.
  @Post(':token')
  @HttpCode(200)
  @PublicWriteLimit()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Unsubscribe at once, no further click (RFC 8058 one-click; public, token)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'Unsubscribed (also when already unsubscribed)' })
  @ApiNotFoundResponse({ description: 'Unknown token' })
  oneClick(@Param('token') token: string): Promise<string> {
    return this.unsubscribe.unsubscribe(token);
  }
}
