/**
 * Fastify vs Express adapter, same Nest controller, same pipes, same process: requests per
 * second and latency at 64 connections with autocannon. Run: npm run bench:adapters
 */
import 'reflect-metadata';
import { Body, Controller, Get, INestApplication, Module, Post, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import { IsEmail, IsInt, IsString, Max, Min } from 'class-validator';

class BookingDto {
  @IsString() name!: string;
  @IsEmail() email!: string;
  @IsInt() @Min(1) @Max(20) partySize!: number;
}

@Controller()
class BenchController {
  @Get('slots')
  slots() {
    return Array.from({ length: 20 }, (_, index) => ({
      id: index,
      capacity: 50,
      booked: index,
      remaining: 50 - index,
      waitlisted: 0,
    }));
  }

  @Post('bookings')
  book(@Body() dto: BookingDto) {
    return { id: 'x', status: 'confirmed', name: dto.name };
  }
}

@Module({ controllers: [BenchController] })
class BenchModule {}

async function run(app: INestApplication, label: string) {
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const duration = Number(process.env.BENCH_SECONDS ?? 8);
  const get = await autocannon({ url: `${url.replace('[::1]', '127.0.0.1')}/slots`, connections: 64, duration });
  const post = await autocannon({
    url: `${url.replace('[::1]', '127.0.0.1')}/bookings`,
    connections: 64,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Visitor', email: 'visitor@example.org', partySize: 2 }),
  });
  await app.close();
  return {
    label,
    getRps: get.requests.average,
    getP99: get.latency.p99,
    postRps: post.requests.average,
    postP99: post.latency.p99,
    errors: get.errors + post.errors + get.non2xx + post.non2xx,
  };
}

async function main() {
  const fastify = await run(await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false }), 'fastify');
  const express = await run(await NestFactory.create(BenchModule, new ExpressAdapter(), { logger: false }), 'express');
  console.table([fastify, express]);
  console.log(
    `fastify/express: GET ${(fastify.getRps / express.getRps).toFixed(2)}x, POST ${(fastify.postRps / express.postRps).toFixed(2)}x`,
  );
}

void main();
