import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Ceremony } from './ceremony.entity';

@Injectable()
export class CeremoniesRepository {
  constructor(@InjectRepository(Ceremony) private readonly ceremonies: Repository<Ceremony>) {}

  findById(id: string, manager?: EntityManager): Promise<Ceremony | null> {
    return (manager ?? this.ceremonies.manager).getRepository(Ceremony).findOneBy({ id });
  }
}
