import { Injectable, PipeTransform } from '@nestjs/common';
import { CodedValidationPipe } from '../common/errors/validation-errors';
import { ReminderRuleDto, ReminderRulesBody } from './dto/reminder-rule.dto';

/**
 * Validates the rules array as the global pipe validates an object body, so every refusal carries
 * its code and the path of its rule (`rules[1].sendTime`), which the console shows beside that field.
 */
@Injectable()
export class ReminderRulesPipe implements PipeTransform<unknown, Promise<ReminderRuleDto[]>> {
  private readonly validation = new CodedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
  });

  async transform(value: unknown): Promise<ReminderRuleDto[]> {
    const body = (await this.validation.transform(
      { rules: value },
      { type: 'body', metatype: ReminderRulesBody },
    )) as ReminderRulesBody;
    return body.rules;
  }
}
