import { BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsString, MaxLength, ValidateNested } from 'class-validator';
import { CodedValidationPipe } from './validation-errors';

class Item {
  @IsString()
  @MaxLength(5)
  title!: string;
}

class Body {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Item)
  items!: Item[];
}

describe('CodedValidationPipe field paths', () => {
  const sut = new CodedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
  });

  it("should name a field inside a list entry by the entry's index in brackets", async () => {
    const refusal = await sut
      .transform({ items: [{ title: 'ok' }, { title: 'far too long' }] }, { type: 'body', metatype: Body })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BadRequestException);
    const body = (refusal as BadRequestException).getResponse() as { errors: Array<{ field: string; code: string }> };
    expect(body.errors.map((entry) => [entry.field, entry.code])).toEqual([['items[1].title', 'too_long']]);
  });
});
