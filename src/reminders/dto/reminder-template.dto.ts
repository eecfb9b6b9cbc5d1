import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, ValidateNested } from 'class-validator';
import { MailingContentDto } from '../../mailings/dto/mailing.dto';
import { ReminderTemplate } from '../reminder-template.entity';

export class ReminderTemplateDto {
  @ApiProperty({
    type: MailingContentDto,
    description: 'Subject, text and optional HTML per language, with the mailing variables',
  })
  @IsDefined()
  @ValidateNested()
  @Type(() => MailingContentDto)
  content!: MailingContentDto;
}

export class ReminderTemplateView {
  @ApiProperty() key!: string;
  @ApiProperty({ type: MailingContentDto }) content!: ReminderTemplate['content'];
  @ApiProperty() updatedAt!: Date;

  static of(template: ReminderTemplate): ReminderTemplateView {
    return { key: template.key, content: template.content, updatedAt: template.updatedAt };
  }
}
