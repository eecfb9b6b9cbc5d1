import { Module } from '@nestjs/common';
import { CeremoniesModule } from '../ceremonies/ceremonies.module';
import { PagesController } from './pages.controller';
import { PagesService } from './pages.service';

@Module({
  imports: [CeremoniesModule],
  controllers: [PagesController],
  providers: [PagesService],
})
export class PagesModule {}
