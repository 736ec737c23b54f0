// The one line a new installation must not miss: the generated admin token, printed once, last of the start-up
// output and boxed, by main.ts after the service listens (and by the test harness, which starts the app the same way).
import type { INestApplication } from '@nestjs/common';
import { TokensService } from './tokens.service';

export function announceGeneratedAdminToken(app: INestApplication, out: NodeJS.WritableStream = process.stdout): void {
  const secret = app.get(TokensService).takeGeneratedSecret();
  if (!secret) return;
  const lines = ['Admin API token (shown once, store it now): ' + secret, 'Sign in to the UI with it, or send it as Authorization: Bearer <token>.'];
  const width = Math.max(...lines.map((l) => l.length));
  const rule = '─'.repeat(width + 2);
  out.write(`\n┌${rule}┐\n${lines.map((l) => `│ ${l.padEnd(width)} │`).join('\n')}\n└${rule}┘\n\n`);
}
