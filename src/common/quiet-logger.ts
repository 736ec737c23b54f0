import { ConsoleLogger } from '@nestjs/common';

// Nest announces every module and route it sets up (some fifty lines at each start); they bury what an operator
// needs to read, so at the `log` level they are left out. `LOG_LEVEL=debug` shows them.
const FRAMEWORK_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

export class QuietLogger extends ConsoleLogger {
  override log(message: unknown, context?: string): void {
    if (context && FRAMEWORK_CONTEXTS.has(context) && !this.isLevelEnabled('debug')) return;
    super.log(message, context);
  }
}
