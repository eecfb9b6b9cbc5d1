import { Injectable, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

export interface ConsoleFile {
  body: Buffer;
  contentType: string;
  /** Hashed asset names never change content; the index must be revalidated to pick up a new build. */
  cacheControl: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** The built console (console/dist): from the source tree, or two levels up when run from dist/src. */
function findBuild(): string {
  const candidates = [resolve(__dirname, '../../console/dist'), resolve(__dirname, '../../../console/dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0];
}

/** Serves the console's files; every address that is not a file gets the index (the app routes itself). */
@Injectable()
export class ConsoleService {
  private readonly logger = new Logger(ConsoleService.name);
  private readonly root = findBuild();

  index(): ConsoleFile {
    const path = join(this.root, 'index.html');
    if (!existsSync(path)) {
      this.logger.error({ path }, 'The console is not built');
      throw new ServiceUnavailableException('The console is not built: run npm run console:build');
    }
    return { body: readFileSync(path), contentType: CONTENT_TYPES['.html'], cacheControl: 'no-cache' };
  }

  asset(name: string): ConsoleFile {
    const path = normalize(join(this.root, 'assets', name));
    const contentType = CONTENT_TYPES[extname(path)];
    if (!path.startsWith(join(this.root, 'assets') + sep) || !contentType || !existsSync(path))
      throw new NotFoundException('No such console file');
    return { body: readFileSync(path), contentType, cacheControl: 'public, max-age=31536000, immutable' };
  }
}
