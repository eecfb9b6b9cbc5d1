import { Module } from '@nestjs/common';
import { CeremoniesModule } from '../ceremonies/ceremonies.module';
import { PagesController } from './pages.controller';
import { PagesService } from './pages.service';
import { RootController } from './root.controller';

@Module({
  imports: [CeremoniesModule],
  controllers: [PagesController, RootController],
  providers: [PagesService],
})
export class PagesModule {}
